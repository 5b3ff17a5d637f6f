/** TraceSummary, the API's view of a trace_summaries row. */
import type { Knex } from 'knex';

export interface TraceSummary {
  trace_id: string;
  project_id: string;
  name: string;
  root_span_id: string;
  service_name: string;
  environment: string;
  start_time: string;
  end_time: string;
  duration_ms: number;
  status: 'ok' | 'error' | 'unset';
  span_count: number;
  llm_call_count: number;
  error_count: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cache_read_tokens: number;
  reasoning_tokens: number;
  total_cost_usd: number;
  session_id: string | null;
  user_id: string | null;
  conversation_id: string | null;
  models: string[];
  /** Models without a price in this trace (add one with PUT /api/v1/projects/:id/model-prices). */
  unpriced_models: string[];
  tags: string[];
  input_preview: string | null;
  output_preview: string | null;
}

/** RFC 3339 with the microseconds Postgres keeps (a JS Date would cut them to milliseconds). */
export const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The select list of a TraceSummary. */
export function traceSummaryColumns(db: Knex) {
  return [
    'trace_id', 'project_id', 'name', 'root_span_id', 'service_name', 'environment',
    'span_count', 'llm_call_count', 'error_count', 'ok_count', 'input_tokens', 'output_tokens', 'total_tokens',
    'cache_read_tokens', 'reasoning_tokens', 'total_cost_usd', 'session_id', 'user_id', 'conversation_id',
    'models', 'unpriced_models', 'tags', 'input_preview', 'output_preview',
    db.raw(`${isoSql('start_time')} AS start_iso`),
    db.raw(`${isoSql('end_time')} AS end_iso`),
    db.raw('(extract(epoch FROM end_time - start_time) * 1000)::float8 AS duration_ms'),
  ];
}

export function toTraceSummary(row: Record<string, any>): TraceSummary {
  return {
    trace_id: row.trace_id,
    project_id: row.project_id,
    name: row.name,
    root_span_id: row.root_span_id,
    service_name: row.service_name,
    environment: row.environment,
    start_time: row.start_iso,
    end_time: row.end_iso,
    duration_ms: Number(row.duration_ms),
    status: row.error_count > 0 ? 'error' : row.ok_count > 0 ? 'ok' : 'unset',
    span_count: Number(row.span_count),
    llm_call_count: Number(row.llm_call_count),
    error_count: Number(row.error_count),
    input_tokens: Number(row.input_tokens),
    output_tokens: Number(row.output_tokens),
    total_tokens: Number(row.total_tokens),
    cache_read_tokens: Number(row.cache_read_tokens),
    reasoning_tokens: Number(row.reasoning_tokens),
    total_cost_usd: Number(row.total_cost_usd),
    session_id: row.session_id,
    user_id: row.user_id,
    conversation_id: row.conversation_id,
    models: row.models,
    unpriced_models: row.unpriced_models,
    tags: row.tags,
    input_preview: row.input_preview,
    output_preview: row.output_preview,
  };
}
