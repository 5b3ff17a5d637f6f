/**
 * Folds one batch of canonical events into per-trace deltas for the trace_summaries upsert. Pure, so
 * the summary rules (which span names the trace, which usage counts, which text previews it) are
 * testable without a database.
 */
import type { CanonicalEvent, Message } from '../events/canonical-event.ts';
import { isoToNanos } from '../events/time.ts';

export const PREVIEW_CHARS = 500;
/** Preview ranks: a root span's input/output describes the trace better than any child's. */
const ROOT_RANK = 2;
const CHILD_RANK = 1;

export interface TraceDelta {
  tenant_id: string;
  project_id: string;
  trace_id: string;
  name: string;
  root_span_id: string;
  service_name: string;
  environment: string;
  start_time: string;
  end_time: string;
  span_count: number;
  llm_call_count: number;
  error_count: number;
  ok_count: number;
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
  /** Models that reported usage but have no price: the trace's cost is incomplete without them. */
  unpriced_models: string[];
  tags: string[];
  input_preview: string | null;
  input_preview_rank: number;
  input_preview_at: number | null;
  output_preview: string | null;
  output_preview_rank: number;
  output_preview_at: number | null;
}

function micros(iso: string): number {
  return Number((isoToNanos(iso) ?? 0n) / 1000n);
}

function textOf(message: Message): string {
  return message.parts
    .map((part) => (part.type === 'text' || part.type === 'reasoning' ? String(part.content ?? '') : ''))
    .filter(Boolean)
    .join('\n');
}

/** The text a person would recognise the call by: the last user turn for input, the last reply for output. */
export function previewText(messages: Message[] | null, preferredRole: string): string | null {
  let fallback = '';
  for (let i = (messages?.length ?? 0) - 1; i >= 0; i--) {
    const text = textOf(messages![i]);
    if (text && messages![i].role === preferredRole) return text.slice(0, PREVIEW_CHARS);
    fallback ||= text;
  }
  return fallback ? fallback.slice(0, PREVIEW_CHARS) : null;
}

function emptyDelta(event: CanonicalEvent): TraceDelta {
  return {
    tenant_id: event.tenant_id, project_id: event.project_id, trace_id: event.trace_id,
    name: '', root_span_id: '', service_name: '', environment: '',
    start_time: event.start_time, end_time: event.end_time || event.start_time,
    span_count: 0, llm_call_count: 0, error_count: 0, ok_count: 0,
    input_tokens: 0, output_tokens: 0, total_tokens: 0, cache_read_tokens: 0, reasoning_tokens: 0, total_cost_usd: 0,
    session_id: null, user_id: null, conversation_id: null, models: [], unpriced_models: [], tags: [],
    input_preview: null, input_preview_rank: 0, input_preview_at: null,
    output_preview: null, output_preview_rank: 0, output_preview_at: null,
  };
}

function addEvent(delta: TraceDelta, event: CanonicalEvent): void {
  const isRoot = event.parent_span_id === '';
  // Before any root, every span is a child: the earliest so far names the trace (checked before the
  // trace's start moves to this span).
  const startAt = micros(event.start_time);
  const earliest = startAt <= micros(delta.start_time);
  delta.span_count += 1;
  if (event.status === 'error') delta.error_count += 1;
  if (event.status === 'ok') delta.ok_count += 1;
  if (startAt < micros(delta.start_time)) delta.start_time = event.start_time;
  const end = event.end_time || event.start_time;
  const endAt = micros(end);
  if (endAt > micros(delta.end_time)) delta.end_time = end;

  // Usage of a wrapper span that repeats its provider call is not counted again (counts_usage = false).
  if (event.counts_usage) {
    if (event.type === 'llm') delta.llm_call_count += 1;
    delta.input_tokens += event.input_tokens;
    delta.output_tokens += event.output_tokens;
    delta.total_tokens += event.total_tokens;
    delta.cache_read_tokens += event.cache_read_tokens;
    delta.reasoning_tokens += event.reasoning_tokens;
    delta.total_cost_usd += event.cost_usd ?? 0;
  }
  if (event.model && !delta.models.includes(event.model)) delta.models.push(event.model);
  const unpriced = event.counts_usage && event.usage_source !== 'none' && event.cost_usd === null;
  if (unpriced && event.model && !delta.unpriced_models.includes(event.model)) delta.unpriced_models.push(event.model);
  for (const tag of event.tags) if (!delta.tags.includes(tag)) delta.tags.push(tag);

  if (isRoot) {
    delta.name = event.name;
    delta.root_span_id = event.span_id;
    delta.service_name = event.service_name;
    delta.environment = event.environment;
  } else if (!delta.root_span_id && earliest) {
    // Until the root arrives, the earliest span names the trace.
    delta.name = event.name;
    delta.service_name ||= event.service_name;
    delta.environment ||= event.environment;
  }
  // The root span's ids win; otherwise the first span that carries one.
  if (event.session_id && (isRoot || !delta.session_id)) delta.session_id = event.session_id;
  if (event.user_id && (isRoot || !delta.user_id)) delta.user_id = event.user_id;
  if (event.conversation_id && (isRoot || !delta.conversation_id)) delta.conversation_id = event.conversation_id;

  const rank = isRoot ? ROOT_RANK : CHILD_RANK;
  const input = previewText(event.input, 'user');
  if (input && (rank > delta.input_preview_rank || (rank === delta.input_preview_rank && startAt < (delta.input_preview_at ?? Infinity)))) {
    Object.assign(delta, { input_preview: input, input_preview_rank: rank, input_preview_at: startAt });
  }
  const output = previewText(event.output, 'assistant');
  if (output && (rank > delta.output_preview_rank || (rank === delta.output_preview_rank && endAt > (delta.output_preview_at ?? -Infinity)))) {
    Object.assign(delta, { output_preview: output, output_preview_rank: rank, output_preview_at: endAt });
  }
}

export function traceDeltas(events: CanonicalEvent[]): TraceDelta[] {
  const deltas = new Map<string, TraceDelta>();
  for (const event of events) {
    let delta = deltas.get(event.trace_id);
    if (!delta) deltas.set(event.trace_id, (delta = emptyDelta(event)));
    addEvent(delta, event);
  }
  // Sets are kept sorted by code point, the order the upsert's union keeps (COLLATE "C").
  for (const delta of deltas.values()) {
    delta.models.sort();
    delta.unpriced_models.sort();
    delta.tags.sort();
  }
  return [...deltas.values()];
}

/** The counts a delta adds to its trace's summary (write-batch.ts sums them on upsert). */
export const COUNTED_FIELDS = [
  'span_count', 'llm_call_count', 'error_count', 'ok_count', 'input_tokens', 'output_tokens', 'total_tokens', 'cache_read_tokens', 'reasoning_tokens', 'total_cost_usd',
] as const satisfies readonly (keyof TraceDelta)[];

/**
 * The delta for a span stored before and now stored again as `after` (completed by its log records):
 * its counts change by the difference, so the span is not counted twice; its previews, models and
 * ids are offered as for a new span.
 */
export function revisionDelta(before: CanonicalEvent, after: CanonicalEvent): TraceDelta {
  const [delta] = traceDeltas([after]);
  const [previous] = traceDeltas([before]);
  for (const field of COUNTED_FIELDS) delta[field] -= previous[field];
  return delta;
}
