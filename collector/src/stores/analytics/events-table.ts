/**
 * The `events` table: the schema columns plus the ingest version, as plain ClickHouse DDL. Kept as
 * data (EVENTS_TABLE) so the Tinybird datasource can be derived from the same definition.
 */
import { EVENT_COLUMNS } from './event-columns.ts';

export const EVENTS_TABLE = {
  name: 'events',
  /** Columns the store adds, not part of CanonicalEvent. */
  extraColumns: [{ name: 'ingested_at', clickhouseType: "DateTime64(3, 'UTC')", default: 'now64(3)' }],
  /** Re-sent spans collapse on the sorting key; the latest ingest wins (at-least-once shipping). */
  engine: 'ReplacingMergeTree(ingested_at)',
  partitionBy: 'toYYYYMM(start_time)',
  /** The dedup key, and tenant/project first so every scoped read is a key-prefix range. */
  orderBy: ['tenant_id', 'project_id', 'trace_id', 'span_id'],
} as const;

/**
 * Columns added to the schema after a table was created: ALTERs that bring an existing table up to
 * date (new columns take their type's default for old rows). Columns are never dropped here.
 */
export function missingColumnsDdl(existing: ReadonlySet<string>): string[] {
  return EVENT_COLUMNS.filter((c) => !existing.has(c.name)).map(
    (c) => `ALTER TABLE ${EVENTS_TABLE.name} ADD COLUMN IF NOT EXISTS ${c.name} ${c.clickhouseType}`,
  );
}

export function eventsTableDdl(): string {
  const columns = [
    ...EVENT_COLUMNS.map((c) => `  ${c.name} ${c.clickhouseType}`),
    ...EVENTS_TABLE.extraColumns.map((c) => `  ${c.name} ${c.clickhouseType} DEFAULT ${c.default}`),
  ];
  return [
    `CREATE TABLE IF NOT EXISTS ${EVENTS_TABLE.name} (`,
    columns.join(',\n'),
    ')',
    `ENGINE = ${EVENTS_TABLE.engine}`,
    `PARTITION BY ${EVENTS_TABLE.partitionBy}`,
    `ORDER BY (${EVENTS_TABLE.orderBy.join(', ')})`,
  ].join('\n');
}
