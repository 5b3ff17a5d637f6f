/**
 * Langfuse SDK attributes (JS `@langfuse/tracing` v4, Python SDK v3+): `langfuse.observation.*`
 * on every observation, `langfuse.trace.*` where the app set trace attributes, plus `session.id`
 * and `user.id`. Precedence 1: these are explicit choices of the app, so they win over what an
 * instrumentation inferred. Source: langfuse/langfuse-js packages/tracing/src/attributes.ts;
 * langfuse/langfuse packages/shared/src/server/otel/{attributes,OtelIngestionProcessor,ObservationTypeMapper}.ts.
 *
 * Decisions:
 * - `span` and `event` observations do not set a type: they are Langfuse's default and its
 *   point-in-time marker, not a kind of work, so a later dialect may still classify the span;
 * - `langfuse.trace.input/output` are the trace's input and output, which the Langfuse UI shows
 *   for the root observation: they become the root span's input/output when the observation has
 *   none of its own; on other spans (set through `updateActiveTrace` from a child) they stay in attributes;
 * - `langfuse.trace.name` stays in attributes (the trace summary decides the trace name).
 */
import { TOKEN_FIELDS, type EventType } from '../../events/canonical-event.ts';
import { isoToNanos } from '../../events/time.ts';
import type { Attributes, DecodedSpan } from '../../otlp/span.ts';
import { firstOf, hasKeyWithPrefix, isObject, metadataUnder, readJson, readString, readStringList, readStringMap, type MetadataEntry } from '../attribute-readers.ts';
import { ResultBuilder, type Dialect, type DialectResult } from '../dialect.ts';
import { payloadMessages } from '../messages.ts';
import { langfuseCost, langfuseUsage } from './langfuse-usage.ts';

const OBSERVATION = 'langfuse.observation';

const TYPES = new Map<string, EventType>([
  ['generation', 'llm'], ['embedding', 'embedding'], ['agent', 'agent'], ['tool', 'tool'], ['chain', 'chain'],
  ['retriever', 'retrieval'], ['evaluator', 'evaluator'], ['guardrail', 'guardrail'],
]);

export const langfuse: Dialect = {
  name: 'langfuse',

  matches: (span) => hasKeyWithPrefix(span.attributes, 'langfuse.'),

  extract(span: DecodedSpan): DialectResult {
    const a = span.attributes;
    const out = new ResultBuilder();
    const type = firstOf(a, [`${OBSERVATION}.type`], readString)?.value.toLowerCase();
    if (type) out.set('type', TYPES.get(type), [`${OBSERVATION}.type`]);
    // Langfuse has no tool-name attribute: a tool observation is named after its tool.
    if (type === 'tool') out.set('tool_name', span.name);
    out.take('model', firstOf(a, [`${OBSERVATION}.model.name`], readString));

    const usageKey = `${OBSERVATION}.usage_details`;
    const usage = langfuseUsage(readJson(a[usageKey]));
    for (const field of TOKEN_FIELDS) out.set(field, usage?.[field], usage?.complete ? [usageKey] : []);
    const costKey = `${OBSERVATION}.cost_details`;
    const cost = langfuseCost(readJson(a[costKey]));
    if (cost !== undefined) {
      out.set('cost_usd', cost, [costKey]);
      out.set('cost_source', 'reported', [costKey]);
    }
    const ttft = firstTokenMillis(span);
    if (ttft !== undefined) out.set('time_to_first_token_ms', ttft, [`${OBSERVATION}.completion_start_time`]);

    // Levels are DEBUG, DEFAULT, WARNING, ERROR; only ERROR is a status, the others stay as attributes.
    const level = firstOf(a, [`${OBSERVATION}.level`], readString);
    if (level?.value.toUpperCase() === 'ERROR') out.set('status', 'error', [level.key]);
    out.take('status_message', firstOf(a, [`${OBSERVATION}.status_message`], readString));

    out.take('session_id', firstOf(a, ['langfuse.session.id', 'session.id'], readString));
    out.take('user_id', firstOf(a, ['langfuse.user.id', 'user.id'], readString));
    out.take('environment', firstOf(a, ['langfuse.environment'], readString));
    out.take('tags', firstOf(a, ['langfuse.trace.tags'], readStringList));
    setMetadata(out, a);

    const outputRole = type === 'tool' ? 'tool' : 'assistant';
    const root = span.parentSpanId === '';
    setPayload(out, 'input', a, [`${OBSERVATION}.input`, ...(root ? ['langfuse.trace.input'] : [])], 'user');
    setPayload(out, 'output', a, [`${OBSERVATION}.output`, ...(root ? ['langfuse.trace.output'] : [])], outputRole);
    return out.result;
  },
};

function setPayload(out: ResultBuilder, field: 'input' | 'output', a: Attributes, keys: string[], role: string): void {
  const found = firstOf(a, keys, readJson);
  if (found) out.set(field, payloadMessages(found.value, role), onlyMessages(found.value) ? [found.key] : []);
}

/**
 * `{messages, tools}` (Langfuse's OpenAI integration when tools are passed) or a whole completion
 * `{id, choices, usage}` is read for its messages; the attribute stays for the rest.
 */
function onlyMessages(value: unknown): boolean {
  if (!isObject(value) || !(Array.isArray(value.messages) || Array.isArray(value.choices))) return true;
  return Object.keys(value).length === 1;
}

/**
 * Trace metadata, then observation metadata (the more specific one wins a shared key). Each comes
 * as one JSON object (`langfuse.observation.metadata`, newest JS SDK) or one attribute per key
 * (`langfuse.observation.metadata.<key>`, strings as they are and other values as JSON).
 */
function setMetadata(out: ResultBuilder, a: Attributes): void {
  const entries: MetadataEntry[] = [];
  for (const prefix of ['langfuse.trace.metadata', `${OBSERVATION}.metadata`]) {
    const whole = readStringMap(a[prefix]);
    if (whole) for (const [name, value] of Object.entries(whole)) entries.push({ name, key: prefix, value });
    entries.push(...metadataUnder(a, `${prefix}.`));
  }
  out.setMetadata(entries);
}

/**
 * `completion_start_time` is an ISO time, JSON-encoded by most SDK versions (`"\"2025-...Z\""`);
 * Python sends naive UTC datetimes without an offset. Earlier than the span start means a clock
 * mix-up, not a negative latency, and is ignored.
 */
function firstTokenMillis(span: DecodedSpan): number | undefined {
  const value = readJson(span.attributes[`${OBSERVATION}.completion_start_time`]);
  if (typeof value !== 'string') return undefined;
  const nanos = isoToNanos(value) ?? isoToNanos(`${value}Z`);
  if (nanos === null || nanos < span.startTimeUnixNano) return undefined;
  return Number(nanos - span.startTimeUnixNano) / 1e6;
}
