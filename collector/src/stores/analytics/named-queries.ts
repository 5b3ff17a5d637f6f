/**
 * The transport-independent side of AnalyticsQueries: each query is the pipe
 * schemas/tinybird/pipes/<name>.pipe; here are how TS params become pipe params and how result rows
 * (ClickHouse JSON rows from chDB, or the `data` array of a Tinybird pipe endpoint, same shape)
 * become typed rows.
 */
import type { AnalyticsQueries, QueryName } from './analytics-store.ts';
import { clickhouseTimeToIso, rowToEvent, type EventRow } from './event-row.ts';

type Decode<T> = (value: unknown) => T;

const num: Decode<number> = Number;
const numOrNull: Decode<number | null> = (v) => (v === null || v === undefined ? null : Number(v));
const str: Decode<string> = String;
const time: Decode<string> = clickhouseTimeToIso;
/** Bucket starts keep the metrics API's spelling: `2025-03-01T10:00:00.000Z`. */
const bucket: Decode<string> = (v) => `${clickhouseTimeToIso(v).slice(0, 23)}Z`;

/** A row decoder that names every field of the typed row, so a field cannot be forgotten. */
function fields<R>(spec: { [K in keyof R]-?: Decode<R[K]> }): (row: EventRow) => R {
  const entries = Object.entries(spec) as [string, Decode<unknown>][];
  return (row) => Object.fromEntries(entries.map(([key, decode]) => [key, decode(row[key])])) as R;
}

const totals = { requests: num, input_tokens: num, output_tokens: num, total_tokens: num, cost_usd: num };

type RowDecoders = { [N in QueryName]: (row: EventRow) => AnalyticsQueries[N]['row'] };

export const ROW_DECODERS: RowDecoders = {
  trace_spans: rowToEvent,
  span_count: fields({ spans: num }),
  usage_over_time: fields({
    bucket, group: str, ...totals, cache_read_tokens: num, reasoning_tokens: num, errors: num,
    p50_ms: numOrNull, p95_ms: numOrNull, p99_ms: numOrNull,
  }),
  model_breakdown: fields({ provider: str, model: str, ...totals, errors: num }),
  latency_percentiles: fields({ model: str, requests: num, avg_ms: num, p50_ms: num, p95_ms: num, p99_ms: num, max_ms: num }),
  error_rate: fields({ bucket, spans: num, errors: num, error_rate: num }),
  top_users: fields({ user_id: str, traces: num, requests: num, total_tokens: num, cost_usd: num, errors: num, last_seen: time }),
  top_sessions: fields({
    session_id: str, user_id: str, traces: num, spans: num, requests: num, total_tokens: num, cost_usd: num, errors: num,
    first_seen: time, last_seen: time,
  }),
  cost_by_project: fields({ project_id: str, ...totals }),
};

export const QUERY_NAMES = Object.keys(ROW_DECODERS) as QueryName[];

/** Epoch ms -> `2025-03-01 10:00:00.000`, the pipes' DateTime64 parameter spelling (UTC). */
function pipeTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
}

// `from` is a Python keyword, and Tinybird templates are Python expressions: the range is date_from/date_to.
const RENAMED: Record<string, string> = { fromMs: 'date_from', toMs: 'date_to' };

/**
 * `{ tenantId, fromMs, limit }` -> `{ tenant_id: '...', date_from: '2025-03-01 10:00:00.000', limit: '10' }`:
 * the pipe parameters as text, as a Tinybird endpoint takes them from its query string. Undefined
 * values are left out, so the pipe's default (or `defined()`) applies.
 */
export function pipeParams(params: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (key in RENAMED) out[RENAMED[key]] = pipeTime(value as number);
    else out[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = String(value);
  }
  return out;
}
