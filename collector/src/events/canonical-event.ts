/**
 * CanonicalEvent: one span as Observa stores and serves it. The source of truth is
 * schemas/canonical-event.schema.json; canonical-event.test.ts keeps this type and the schema equal.
 */
export type EventType =
  | 'llm' | 'embedding' | 'tool' | 'retrieval' | 'agent' | 'chain' | 'reranker' | 'guardrail' | 'evaluator' | 'span';
export type EventStatus = 'ok' | 'error' | 'unset';
export type UsageSource = 'reported' | 'estimated' | 'none';
export type CostSource = 'reported' | 'computed' | 'estimated' | 'none';
export type SpanKindName = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** A message part in the OTel GenAI shape: text, tool_call, tool_call_response, reasoning, blob, file, uri, ... */
export interface MessagePart {
  type: string;
  [key: string]: unknown;
}

/** A chat message in the OTel GenAI `{role, parts}` shape (gen_ai.input.messages / gen_ai.output.messages). */
export interface Message {
  role: string;
  parts: MessagePart[];
  name?: string;
  finish_reason?: string;
}

export interface CanonicalSpanEvent {
  time: string;
  name: string;
  attributes: Record<string, unknown>;
}

export interface CanonicalEvent {
  tenant_id: string;
  project_id: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string;
  type: EventType;
  operation_name: string;
  name: string;
  span_kind: SpanKindName;
  service_name: string;
  scope_name: string;
  environment: string;
  start_time: string;
  end_time: string;
  duration_ms: number;
  status: EventStatus;
  status_message: string;
  error_type: string;
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  usage_source: UsageSource;
  cost_usd: number | null;
  cost_source: CostSource;
  counts_usage: boolean;
  session_id: string;
  user_id: string;
  conversation_id: string;
  tags: string[];
  metadata: Record<string, string>;
  input: Message[] | null;
  output: Message[] | null;
  tool_name: string;
  time_to_first_token_ms: number | null;
  finish_reason: string;
  attributes: Record<string, unknown>;
  resource_attributes: Record<string, unknown>;
  events: CanonicalSpanEvent[];
  /** Days the analytics store keeps this event, stamped from the project's retention at ingest. */
  retention_days: number;
}

/** The token counts, which follow OTel: input includes cached tokens, output includes reasoning tokens. */
export const TOKEN_FIELDS = [
  'input_tokens', 'output_tokens', 'total_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens',
] as const satisfies readonly (keyof CanonicalEvent)[];

/** A canonical event with every field at its schema default; callers fill in what they know. */
export function emptyEvent(): CanonicalEvent {
  return {
    tenant_id: '', project_id: '', trace_id: '', span_id: '', parent_span_id: '',
    type: 'span', operation_name: '', name: '', span_kind: 'internal',
    service_name: '', scope_name: '', environment: '',
    start_time: '', end_time: '', duration_ms: 0,
    status: 'unset', status_message: '', error_type: '',
    provider: '', model: '',
    input_tokens: 0, output_tokens: 0, total_tokens: 0,
    cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0,
    usage_source: 'none', cost_usd: null, cost_source: 'none', counts_usage: true,
    session_id: '', user_id: '', conversation_id: '',
    tags: [], metadata: {}, input: null, output: null,
    tool_name: '', time_to_first_token_ms: null, finish_reason: '',
    attributes: {}, resource_attributes: {}, events: [], retention_days: 30,
  };
}
