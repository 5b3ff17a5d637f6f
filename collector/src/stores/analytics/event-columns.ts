/**
 * The analytics `events` columns, derived from schemas/canonical-event.schema.json (the one schema
 * source): each property's `x-clickhouse.type` is its column type, `x-clickhouse.json` marks values
 * kept as JSON text in a String column, `x-clickhouse.default` is the column's DEFAULT (what rows
 * written before the column existed read as). Every backend (chDB, ClickHouse, Tinybird) builds from this.
 */
import schema from '../../../../schemas/canonical-event.schema.json' with { type: 'json' };
import type { CanonicalEvent } from '../../events/canonical-event.ts';

export interface EventColumn {
  name: keyof CanonicalEvent;
  /** ClickHouse type exactly as the schema spells it, e.g. `DateTime64(9, 'UTC')`. */
  clickhouseType: string;
  /** Stored as JSON text; parsed back into a value on read. */
  json: boolean;
  /** ClickHouse DEFAULT expression, or null for the type's own default. */
  clickhouseDefault: string | null;
}

interface ClickhouseAnnotation {
  type: string;
  json?: boolean;
  default?: string;
}

/** In schema order, which is also the column order of the table. */
export const EVENT_COLUMNS: readonly EventColumn[] = Object.entries(
  schema.properties as Record<string, { 'x-clickhouse': ClickhouseAnnotation }>,
).map(([name, property]) => ({
  name: name as keyof CanonicalEvent,
  clickhouseType: property['x-clickhouse'].type,
  json: property['x-clickhouse'].json === true,
  clickhouseDefault: property['x-clickhouse'].default ?? null,
}));
