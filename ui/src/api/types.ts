/** The JSON shapes the dashboard reads (docs/api.md; the contract names in DESIGN.md). Fields are snake_case. */

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export type Status = 'ok' | 'error' | 'unset';

export interface Project {
  id: string;
  tenant_id: string;
  slug: string;
  name: string;
  retention_days: number;
  created_at: string;
  role?: Role;
}

export interface Me {
  user: { id: string; email: string; name: string | null; is_instance_admin: boolean };
  tenants: { id: string; slug: string; name: string; role: Role }[];
  session: { id: string; expires_at: string; csrf_token: string };
}

/** What a trace and a session both total: spans, model calls, errors, tokens, cost and the models used. */
export interface UsageTotals {
  span_count: number;
  llm_call_count: number;
  error_count: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  total_cost_usd: number;
  models: string[];
}

export interface TraceSummary extends UsageTotals {
  trace_id: string;
  project_id: string;
  name: string;
  root_span_id: string;
  service_name: string;
  environment: string;
  start_time: string;
  end_time: string;
  duration_ms: number;
  status: Status;
  cache_read_tokens: number;
  reasoning_tokens: number;
  session_id: string | null;
  user_id: string | null;
  conversation_id: string | null;
  unpriced_models: string[];
  tags: string[];
  input_preview: string | null;
  output_preview: string | null;
}

/** One part of a message, OTel GenAI shape: text, tool_call, tool_call_response, and others kept as they came. */
export interface MessagePart {
  type: string;
  content?: unknown;
  id?: string;
  name?: string;
  arguments?: unknown;
  response?: unknown;
  result?: unknown;
  [key: string]: unknown;
}

export interface Message {
  role: string;
  name?: string;
  finish_reason?: string;
  parts: MessagePart[];
}

export type SpanType = 'llm' | 'embedding' | 'tool' | 'retrieval' | 'agent' | 'chain' | 'reranker' | 'guardrail' | 'evaluator' | 'span';

/** CanonicalEvent: one per span (schemas/canonical-event.schema.json). */
export interface Span {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  type: SpanType;
  operation_name: string | null;
  name: string;
  span_kind: string | null;
  service_name: string | null;
  start_time: string;
  end_time: string;
  duration_ms: number;
  status: Status;
  status_message: string | null;
  error_type: string | null;
  provider: string | null;
  model: string | null;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  usage_source: 'reported' | 'estimated' | 'none';
  cost_usd: number;
  cost_source: 'reported' | 'computed' | 'estimated' | 'none';
  session_id: string | null;
  user_id: string | null;
  conversation_id: string | null;
  tags: string[];
  metadata: Record<string, unknown>;
  input: Message[] | null;
  output: Message[] | null;
  tool_name: string | null;
  time_to_first_token_ms: number | null;
  finish_reason: string | null;
  attributes: Record<string, unknown>;
  resource_attributes: Record<string, unknown>;
  events?: { time: string; name: string; attributes?: Record<string, unknown> }[];
}

export interface Score {
  id: string;
  trace_id: string;
  span_id: string | null;
  name: string;
  data_type: 'numeric' | 'boolean' | 'categorical';
  value: number | boolean | string;
  comment: string | null;
  source: string;
  created_at: string;
}

export interface TraceDetail {
  trace: TraceSummary;
  spans: Span[];
  scores: Score[];
}

export interface SessionSummary extends UsageTotals {
  session_id: string;
  project_id: string;
  user_id: string | null;
  start_time: string;
  end_time: string;
  duration_ms: number;
  trace_count: number;
}

export interface SessionDetail {
  session: SessionSummary;
  traces: TraceSummary[];
}
