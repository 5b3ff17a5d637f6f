/**
 * CanonicalEvent <-> ClickHouse row (the JSONEachRow shape every backend writes and reads), driven
 * by EVENT_COLUMNS so a new schema property needs no code here unless it brings a new column type.
 */
import type { CanonicalEvent } from '../../events/canonical-event.ts';
import { EVENT_COLUMNS, type EventColumn } from './event-columns.ts';

export type EventRow = Record<string, unknown>;

interface Codec {
  toRow(value: unknown): unknown;
  fromRow(value: unknown): unknown;
}

const same = (value: unknown) => value;

// ClickHouse prints DateTime64 as `2024-05-01 12:00:00.123456789` (or ISO when date_time_output_format=iso).
const CLICKHOUSE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z?$/;

/** A DateTime64 value as read back -> RFC 3339 UTC with nine fraction digits, the canonical spelling. */
export function clickhouseTimeToIso(value: unknown): string {
  const m = CLICKHOUSE_TIME.exec(String(value));
  if (!m) throw new TypeError(`not a ClickHouse DateTime64 value: ${String(value)}`);
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(9, '0')}Z`;
}

function codecFor(column: EventColumn): Codec {
  if (column.json) return { toRow: (v) => JSON.stringify(v ?? null), fromRow: (v) => JSON.parse(String(v)) };
  const type = column.clickhouseType.replace(/^Nullable\((.*)\)$/, '$1');
  const nullable = type !== column.clickhouseType;
  const orNull = (read: (v: unknown) => unknown) => (v: unknown) => (nullable && v === null ? null : read(v));
  // RFC 3339 goes in as is: inserts use date_time_input_format=best_effort, which keeps all nine digits and offsets.
  if (type.startsWith('DateTime64')) return { toRow: same, fromRow: orNull(clickhouseTimeToIso) };
  // 64-bit integers may arrive quoted (output_format_json_quote_64bit_integers); ours fit in a double.
  if (/^(U?Int\d+|Float\d+)$/.test(type)) return { toRow: same, fromRow: orNull(Number) };
  if (type === 'Bool') return { toRow: same, fromRow: orNull((v) => v === true || v === 'true' || v === 1) };
  return { toRow: same, fromRow: same };
}

const CODECS = EVENT_COLUMNS.map((column) => ({ name: column.name, ...codecFor(column) }));

export function eventToRow(event: CanonicalEvent): EventRow {
  const row: EventRow = {};
  for (const c of CODECS) row[c.name] = c.toRow(event[c.name]);
  return row;
}

export function rowToEvent(row: EventRow): CanonicalEvent {
  const event: Record<string, unknown> = {};
  for (const c of CODECS) event[c.name] = c.fromRow(row[c.name]);
  return event as unknown as CanonicalEvent;
}

/** Newline-delimited JSON rows: the body chDB's raw insert, ClickHouse and the Tinybird Events API all take. */
export function eventsToJsonEachRow(events: readonly CanonicalEvent[]): string {
  return events.map((event) => JSON.stringify(eventToRow(event))).join('\n');
}
