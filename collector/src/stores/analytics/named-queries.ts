/**
 * The SQL backends' side of AnalyticsQueries: each query's ClickHouse SQL lives in queries/<name>.sql
 * with server-side parameters (`{tenant_id:String}`), never values spliced into the text; here are
 * how its parameters are named and how its JSON rows become typed rows.
 */
import { readFile } from 'node:fs/promises';
import type { AnalyticsQueries, QueryName } from './analytics-store.ts';
import { rowToEvent, type EventRow } from './event-row.ts';

type RowDecoders = { [N in QueryName]: (row: EventRow) => AnalyticsQueries[N]['row'] };

export const ROW_DECODERS: RowDecoders = {
  trace_spans: rowToEvent,
  span_count: (row) => ({ spans: Number(row.spans) }),
  usage_over_time: (row) => {
    const [p50, p95, p99] = (row.latency_ms as number[]).map((v) => (Number.isFinite(v) ? v : null));
    return {
      bucket: new Date(Number(row.bucket_epoch) * 1000).toISOString(),
      group: String(row.group_key),
      requests: Number(row.requests),
      input_tokens: Number(row.input_tokens),
      output_tokens: Number(row.output_tokens),
      total_tokens: Number(row.total_tokens),
      cache_read_tokens: Number(row.cache_read_tokens),
      reasoning_tokens: Number(row.reasoning_tokens),
      cost_usd: Number(row.cost_usd),
      errors: Number(row.errors),
      p50_ms: Number(row.requests) > 0 ? p50 : null,
      p95_ms: Number(row.requests) > 0 ? p95 : null,
      p99_ms: Number(row.requests) > 0 ? p99 : null,
    };
  },
};

export const QUERY_NAMES = Object.keys(ROW_DECODERS) as QueryName[];

export type QuerySql = Record<QueryName, string>;

/** Reads every named query's SQL once, at store start. */
export async function loadQuerySql(): Promise<QuerySql> {
  const entries = await Promise.all(
    QUERY_NAMES.map(async (name) => [name, await readFile(new URL(`./queries/${name}.sql`, import.meta.url), 'utf8')]),
  );
  return Object.fromEntries(entries) as QuerySql;
}

/** `{ tenantId, traceId }` -> `{ tenant_id, trace_id }`: TS params are camelCase, SQL params snake_case. */
export function sqlParams(params: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}
