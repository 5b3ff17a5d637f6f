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
  /**
   * The dedup key, with tenant/project first so every scoped read is a key-prefix range, then the hour,
   * so that a time range is a key range too and that parts written at different times cover disjoint
   * key ranges: FINAL then merges only where parts overlap (the newest hour or so) instead of every row
   * of the project (at 10 million events: about 3x less CPU for the 30-day usage query, and a 24-hour
   * query reads 1/30 of the rows). A span keeps its start_time when re-sent, so the hour adds nothing
   * to what counts as the same span (the month partition already relies on that).
   */
  orderBy: ['tenant_id', 'project_id', 'toStartOfHour(start_time)', 'trace_id', 'span_id'],
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

/**
 * A table sorted by an older key (`sortingKey` as system.tables reports it) is rebuilt under the
 * current one: a copy, then an atomic swap, so queries see the old table or the new one, never half.
 * Run at start, before the store appends (nothing lands between the copy and the swap), and after
 * missingColumnsDdl, so both tables have every column; columns are named, as an older table has its
 * added columns at the end. The copy takes about as long as ingesting the rows once.
 */
export function resortDdl(sortingKey: string): string[] {
  if (sortingKey === EVENTS_TABLE.orderBy.join(', ')) return [];
  const resorted = `${EVENTS_TABLE.name}_resorted`;
  const columns = EVENTS_TABLE_COLUMNS.map((c) => c.name).join(', ');
  return [
    `DROP TABLE IF EXISTS ${resorted}`,
    eventsTableDdl(resorted),
    `INSERT INTO ${resorted} (${columns}) SELECT ${columns} FROM ${EVENTS_TABLE.name}`,
    `EXCHANGE TABLES ${EVENTS_TABLE.name} AND ${resorted}`,
    `DROP TABLE ${resorted}`,
  ];
}

export function eventsTableDdl(name: string = EVENTS_TABLE.name): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (`,
    EVENTS_TABLE_COLUMNS.map((c) => `  ${columnDdl(c)}`).join(',\n'),
    ')',
    `ENGINE = ${EVENTS_TABLE.engine}(${EVENTS_TABLE.version})`,
    `PARTITION BY ${EVENTS_TABLE.partitionBy}`,
    `ORDER BY (${EVENTS_TABLE.orderBy.join(', ')})`,
    `TTL ${EVENTS_TABLE.ttl}`,
  ].join('\n');
}
