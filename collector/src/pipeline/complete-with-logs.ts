/**
 * Completes a span's canonical event with the OTLP log records emitted for it. GenAI instrumentations
 * of semconv 1.28-1.36 send the prompt and completion as log events (`gen_ai.user.message`,
 * `gen_ai.choice`, ...) and newer ones may send `gen_ai.client.inference.operation.details`; the span
 * alone then has no messages. The records become span events of the span, and what they say is read
 * by the same mapping as any span: a span made of them is mapped, and its fields fill what the span's
 * own attributes left empty. Fields filled this way are listed in `observa.from_logs`, so a later
 * record of the same span recomputes them from all its records instead of being ignored.
 * Pure: the log joiner (log-joiner.ts) reads and writes.
 */
import { TOKEN_FIELDS, emptyEvent, type CanonicalEvent, type CanonicalSpanEvent } from '../events/canonical-event.ts';
import { isoToNanos } from '../events/time.ts';
import { mapSpan } from '../mapping/map-span.ts';
import type { Attributes, DecodedSpan, SpanEvent } from '../otlp/span.ts';

export const FROM_LOGS_ATTRIBUTE = 'observa.from_logs';
/** Marks a span event that came from an OTLP log record, so a later completion replaces rather than repeats it. */
export const LOG_RECORD_MARK = 'observa.log_record';
/** Its attributes are a whole inference span's (messages, model, usage): they are read as the span's attributes. */
export const OPERATION_DETAILS_EVENT = 'gen_ai.client.inference.operation.details';

/** Fields a span's log records may fill, each on its own; usage (tokens) is filled as one group. */
const CONTENT_FIELDS = [
  'input', 'output', 'finish_reason', 'model', 'provider', 'operation_name', 'tool_name', 'conversation_id', 'time_to_first_token_ms', 'type',
] as const satisfies readonly (keyof CanonicalEvent)[];
const USAGE_GROUP = 'usage';

const DEFAULTS = emptyEvent();
const isDefault = (event: CanonicalEvent, field: keyof CanonicalEvent) => JSON.stringify(event[field]) === JSON.stringify(DEFAULTS[field]);

const asSpanEvent = (e: CanonicalSpanEvent): SpanEvent => ({ name: e.name, timeUnixNano: isoToNanos(e.time) ?? 0n, attributes: e.attributes as Attributes });

/** What the records alone say about the span, mapped by the collector's dialects. */
function contributionOf(event: CanonicalEvent, records: readonly CanonicalSpanEvent[]): CanonicalEvent {
  const details = records.filter((r) => r.name === OPERATION_DETAILS_EVENT);
  const span: DecodedSpan = {
    traceId: event.trace_id, spanId: event.span_id, parentSpanId: event.parent_span_id, traceState: '',
    name: event.name, kind: 0,
    startTimeUnixNano: isoToNanos(event.start_time) ?? 0n, endTimeUnixNano: isoToNanos(event.end_time) ?? 0n,
    attributes: Object.assign({}, ...details.map((d) => d.attributes)) as Attributes,
    events: records.filter((r) => r.name !== OPERATION_DETAILS_EVENT).map(asSpanEvent),
    links: [], status: { code: 0, message: '' },
    resource: { attributes: event.resource_attributes as Attributes }, scope: { name: event.scope_name, version: '' },
  };
  return mapSpan(span);
}

const fromLogsOf = (event: CanonicalEvent): string[] => {
  const listed = event.attributes[FROM_LOGS_ATTRIBUTE];
  return Array.isArray(listed) ? listed.filter((f): f is string => typeof f === 'string') : [];
};

/**
 * `event` (as stored, possibly completed before) with `records` (all log records of the span, in time
 * order) as span events and the fields they fill. Cost is left for enrichment to price again when usage
 * or the model changed.
 */
export function completeWithLogs(event: CanonicalEvent, records: readonly CanonicalSpanEvent[]): CanonicalEvent {
  const fromLogs = new Set(fromLogsOf(event));
  const logs = contributionOf(event, records);
  const completed: CanonicalEvent = { ...event, attributes: { ...event.attributes } };

  for (const field of CONTENT_FIELDS) {
    if (!fromLogs.has(field) && !isDefault(event, field)) continue; // the span's own value wins
    if (isDefault(logs, field) && !fromLogs.has(field)) continue;
    (completed as unknown as Record<string, unknown>)[field] = logs[field];
    fromLogs.add(field);
  }

  // Reported usage beats none or an estimate; an estimate is redone by enrichment from the new messages.
  const spanHasUsage = event.usage_source === 'reported' && !fromLogs.has(USAGE_GROUP);
  if (!spanHasUsage) {
    const source = logs.usage_source === 'reported' ? logs : emptyEvent();
    for (const field of TOKEN_FIELDS) completed[field] = source[field];
    completed.usage_source = source.usage_source;
    if (source === logs) fromLogs.add(USAGE_GROUP);
  }
  if (event.cost_source !== 'reported' || fromLogs.has('cost')) {
    Object.assign(completed, logs.cost_source === 'reported' ? { cost_usd: logs.cost_usd, cost_source: 'reported' } : { cost_usd: null, cost_source: 'none' });
    if (logs.cost_source === 'reported') fromLogs.add('cost');
  }

  // The records themselves join the span's events (those of an earlier completion are replaced).
  const ownEvents = event.events.filter((e) => e.attributes[LOG_RECORD_MARK] !== true);
  completed.events = [...ownEvents, ...records.map((r) => ({ ...r, attributes: { ...r.attributes, [LOG_RECORD_MARK]: true } }))]
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  if (fromLogs.size > 0) completed.attributes[FROM_LOGS_ATTRIBUTE] = [...fromLogs].sort();
  return completed;
}
