/**
 * Traceloop OpenLLMetry (traceloop-sdk and the opentelemetry-instrumentation-* packages of
 * traceloop/openllmetry and openllmetry-js): `llm.request.type`, the SDK's workflow/task/agent/tool
 * spans (`traceloop.span.kind`, `traceloop.entity.*`), association properties, and the flattened
 * `gen_ai.prompt.<i>.*` / `gen_ai.completion.<i>.*` messages. It shares model and usage names with
 * deprecated OTel GenAI, and runs after otel-genai (current names win) but before
 * otel-genai-legacy, whose "any legacy key means an LLM call" guess must not beat `llm.request.type`.
 *
 * Tokens: `gen_ai.usage.prompt_tokens` already includes cache reads and writes (the Anthropic
 * instrumentation adds them to Anthropic's exclusive `input_tokens`), as OTel input tokens do.
 */
import type { EventType } from '../../events/canonical-event.ts';
import type { Attributes, DecodedSpan } from '../../otlp/span.ts';
import { firstOf, metadataUnder, readCount, readString, someKey, type Found, type MetadataEntry } from '../attribute-readers.ts';
import { ResultBuilder, type Dialect, type DialectResult, type MappedField } from '../dialect.ts';
import { finishReasonOf, firstFound } from '../messages.ts';
import { otelProviderName } from '../provider-name.ts';
import { completionMessages, entityMessages, entityToolMessages, promptMessages } from './openllmetry-messages.ts';

const REQUEST_TYPES = new Map<string, EventType>([
  ['chat', 'llm'],
  ['completion', 'llm'],
  ['embedding', 'embedding'],
  ['rerank', 'reranker'],
]);

const SPAN_KINDS = new Map<string, EventType>([
  ['workflow', 'chain'],
  ['task', 'chain'],
  ['agent', 'agent'],
  ['tool', 'tool'],
]);

const TOKEN_KEYS: readonly (readonly [MappedField & `${string}_tokens`, readonly string[]])[] = [
  ['input_tokens', ['gen_ai.usage.prompt_tokens']],
  ['output_tokens', ['gen_ai.usage.completion_tokens']],
  ['total_tokens', ['llm.usage.total_tokens', 'gen_ai.usage.total_tokens']],
  ['cache_read_tokens', ['gen_ai.usage.cache_read_input_tokens']],
  ['cache_write_tokens', ['gen_ai.usage.cache_creation_input_tokens']],
  ['reasoning_tokens', ['gen_ai.usage.reasoning_tokens']],
];

const ASSOCIATION_PREFIX = 'traceloop.association.properties.';
/** Association property names the Traceloop docs and SDK examples use for the session and the user. */
const SESSION_PROPERTIES = new Set(['session_id', 'sessionId']);
const USER_PROPERTIES = new Set(['user_id', 'userId']);

const FLATTENED_MESSAGE_KEY = /^gen_ai\.(prompt|completion)\.\d+\./;

export const openLlmetry: Dialect = {
  name: 'openllmetry',

  matches: (span) =>
    'llm.request.type' in span.attributes
    || someKey(span.attributes, (key) => key.startsWith('traceloop.') || FLATTENED_MESSAGE_KEY.test(key)),

  extract(span: DecodedSpan): DialectResult {
    const a = span.attributes;
    const out = new ResultBuilder();
    const requestType = firstOf(a, ['llm.request.type'], readString);
    out.set('type', requestType && REQUEST_TYPES.get(requestType.value), requestType ? [requestType.key] : []);
    const kind = firstOf(a, ['traceloop.span.kind'], readString);
    out.set('type', kind && SPAN_KINDS.get(kind.value), kind ? [kind.key] : []);

    out.take('model', firstOf(a, ['gen_ai.response.model', 'gen_ai.request.model'], readString));
    const system = firstOf(a, ['gen_ai.system'], readString);
    if (system) out.set('provider', otelProviderName(system.value), [system.key]);
    for (const [field, keys] of TOKEN_KEYS) out.take(field, firstOf(a, keys, readCount));

    const isTool = kind?.value === 'tool';
    const entityName = firstOf(a, ['traceloop.entity.name'], readString);
    if (isTool) out.take('tool_name', entityName);
    associationProperties(a, out);

    const entity = (side: 'input' | 'output') => () => (isTool ? entityToolMessages(a, side, entityName?.value) : entityMessages(a, side));
    const input = firstFound(() => promptMessages(a), entity('input'));
    out.set('input', input.messages, input.keys);
    const output = firstFound(() => completionMessages(a), entity('output'));
    out.set('output', output.messages, output.keys);
    // Each completion carries its own finish reason (consumed with the output).
    out.set('finish_reason', finishReasonOf(output.messages));
    return out.result;
  },
};

/**
 * `traceloop.association.properties.<name>`: the session and user ids the app associated with the
 * trace, and any other property as metadata (values stringified, since metadata is a string map).
 */
function associationProperties(a: Attributes, out: ResultBuilder): void {
  let session: Found<string> | undefined;
  let user: Found<string> | undefined;
  const metadata: MetadataEntry[] = [];
  for (const entry of metadataUnder(a, ASSOCIATION_PREFIX)) {
    if (!session && SESSION_PROPERTIES.has(entry.name)) session = entry;
    else if (!user && USER_PROPERTIES.has(entry.name)) user = entry;
    else metadata.push(entry);
  }
  out.take('session_id', session);
  out.take('user_id', user);
  out.setMetadata(metadata);
}
