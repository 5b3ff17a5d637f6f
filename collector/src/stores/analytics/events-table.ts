/**
 * The `events` table: the schema columns plus the ingest version, as data (EVENTS_TABLE) from which
 * both the ClickHouse DDL here and the Tinybird datasource (pipes/events-datasource.ts) are built.
 */
import { EVENT_COLUMNS } from './event-columns.ts';

export interface TableColumn {
  name: string;
  clickhouseType: string;
  clickhouseDefault: string | null;
}

export const EVENTS_TABLE = {
  name: 'events',
  /** Columns the store adds, not part of CanonicalEvent. */
  extraColumns: [{ name: 'ingested_at', clickhouseType: "DateTime64(3, 'UTC')", clickhouseDefault: 'now64(3)' }],
  /** Re-sent spans collapse on the sorting key; the latest ingest wins (at-least-once shipping). */
  engine: 'ReplacingMergeTree',
  version: 'ingested_at',
  partitionBy: 'toYYYYMM(start_time)',
  /** The dedup key, and tenant/project first so every scoped read is a key-prefix range. */
  orderBy: ['tenant_id', 'project_id', 'trace_id', 'span_id'],
  /**
   * Retention counts from arrival, not from start_time: ClickHouse drops rows already past their TTL
   * at insert, so a start_time TTL would silently lose backfilled, replayed or clock-skewed spans
   * that ingest had accepted (and that the trace summaries in Postgres keep).
   */
  ttl: 'toDateTime(ingested_at) + toIntervalDay(retention_days)',
} as const;

/** Every column of the table, in order. */
export const EVENTS_TABLE_COLUMNS: readonly TableColumn[] = [...EVENT_COLUMNS, ...EVENTS_TABLE.extraColumns];

const columnDdl = (c: TableColumn) => `${c.name} ${c.clickhouseType}${c.clickhouseDefault === null ? '' : ` DEFAULT ${c.clickhouseDefault}`}`;

/**
 * Columns added to the schema after a table was created: ALTERs that bring an existing table up to
 * date (old rows read the column's DEFAULT). Columns are never dropped here.
 */
export function missingColumnsDdl(existing: ReadonlySet<string>): string[] {
  return EVENT_COLUMNS.filter((c) => !existing.has(c.name)).map(
    (c) => `ALTER TABLE ${EVENTS_TABLE.name} ADD COLUMN IF NOT EXISTS ${columnDdl(c)}`,
  );
}

/** The TTL for a table created before retention existed (`engineFull` as system.tables reports it). */
export function missingTtlDdl(engineFull: string): string[] {
  return /\bTTL\b/.test(engineFull) ? [] : [`ALTER TABLE ${EVENTS_TABLE.name} MODIFY TTL ${EVENTS_TABLE.ttl}`];
}

export function eventsTableDdl(): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${EVENTS_TABLE.name} (`,
    EVENTS_TABLE_COLUMNS.map((c) => `  ${columnDdl(c)}`).join(',\n'),
    ')',
    `ENGINE = ${EVENTS_TABLE.engine}(${EVENTS_TABLE.version})`,
    `PARTITION BY ${EVENTS_TABLE.partitionBy}`,
    `ORDER BY (${EVENTS_TABLE.orderBy.join(', ')})`,
    `TTL ${EVENTS_TABLE.ttl}`,
  ].join('\n');
}
