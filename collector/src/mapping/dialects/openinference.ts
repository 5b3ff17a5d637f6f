/**
 * Arize OpenInference (Phoenix, openinference-instrumentation-*): `openinference.span.kind`,
 * `llm.*`, `input.value` / `output.value`, flattened message lists.
 * Spec: https://github.com/Arize-ai/openinference/blob/main/spec/semantic_conventions.md
 *
 * Token semantics match OTel: `llm.token_count.prompt` already includes
 * `prompt_details.cache_read` / `cache_write` (the spec calls them sub-counts and tells
 * instrumentations to fold Anthropic's exclusive counts back in), and `completion` includes
 * `completion_details.reasoning`, so they map one to one.
 */
import type { EventType } from '../../events/canonical-event.ts';
import type { Attributes, DecodedSpan } from '../../otlp/span.ts';
import { firstOf, readCount, readJson, readNumber, readString, readStringList, readStringMap, someKey } from '../attribute-readers.ts';
import { ResultBuilder, type Dialect, type DialectResult, type MappedField } from '../dialect.ts';
import { toJsonValue } from '../json-value.ts';
import { toolCallPart, toolResponsePart } from '../message-parts.ts';
import { finishReasonOf, firstFound, NO_MESSAGES, type MessagesFound } from '../messages.ts';
import { documentMessages, embeddingTexts } from './openinference-documents.ts';
import { completionTexts, flattenedMessages, valueOf, withValueKeys } from './openinference-messages.ts';
import { openInferenceProvider } from './openinference-provider.ts';

const KIND_KEY = 'openinference.span.kind';

const SPAN_KINDS = new Map<string, EventType>([
  ['LLM', 'llm'],
  ['EMBEDDING', 'embedding'],
  ['CHAIN', 'chain'],
  ['RETRIEVER', 'retrieval'],
  ['RERANKER', 'reranker'],
  ['TOOL', 'tool'],
  ['AGENT', 'agent'],
  ['GUARDRAIL', 'guardrail'],
  ['EVALUATOR', 'evaluator'],
  ['PROMPT', 'chain'], // rendering a prompt template: a step of the application, not a model call
]);

/**
 * `llm.model_name` is defined as the response model when known, else the request model; the
 * explicit pair (for providers that reroute requests) is more precise when present.
 */
const MODEL_KEYS = ['llm.response.model_name', 'llm.model_name', 'llm.request.model_name', 'embedding.model_name', 'reranker.model_name'];

const TOKEN_KEYS: readonly (readonly [MappedField & `${string}_tokens`, string])[] = [
  ['input_tokens', 'llm.token_count.prompt'],
  ['output_tokens', 'llm.token_count.completion'],
  ['total_tokens', 'llm.token_count.total'],
  ['cache_read_tokens', 'llm.token_count.prompt_details.cache_read'],
  ['cache_write_tokens', 'llm.token_count.prompt_details.cache_write'],
  ['reasoning_tokens', 'llm.token_count.completion_details.reasoning'],
];

/** Keys only an OpenInference LLM call carries, for spans whose SDK forgot the (required) span kind. */
const LLM_CALL_PREFIXES = ['llm.input_messages.', 'llm.output_messages.', 'llm.token_count.'];

export const openInference: Dialect = {
  name: 'openinference',

  // Conservative: `input.value` or `metadata` alone are too generic to claim a span.
  matches: (span) => KIND_KEY in span.attributes || 'llm.model_name' in span.attributes || isLlmCall(span.attributes),

  extract(span: DecodedSpan): DialectResult {
    const a = span.attributes;
    const out = new ResultBuilder();
    const kind = firstOf(a, [KIND_KEY], readString);
    const type = kind ? SPAN_KINDS.get(kind.value.toUpperCase()) : isLlmCall(a) ? 'llm' : undefined;
    out.set('type', type, kind ? [kind.key] : []);

    out.take('model', firstOf(a, MODEL_KEYS, readString));
    const provider = openInferenceProvider(a);
    out.set('provider', provider?.value, provider?.keys);
    for (const [field, key] of TOKEN_KEYS) out.take(field, firstOf(a, [key], readCount));
    const cost = reportedCost(a);
    if (cost) {
      out.set('cost_usd', cost.value, cost.keys);
      out.set('cost_source', 'reported');
    }

    out.take('tool_name', firstOf(a, ['tool.name'], readString));
    out.take('tags', firstOf(a, ['tag.tags'], readStringList));
    out.take('metadata', firstOf(a, ['metadata'], readStringMap));
    // session.id / user.id are the general OTel keys: the common dialect maps them for every convention.

    const input = withValueKeys(inputOf(a, type), a, 'input');
    out.set('input', input.messages, input.keys);
    const output = withValueKeys(outputOf(a, type), a, 'output');
    const finish = firstOf(a, ['llm.finish_reason'], readString);
    // Instrumentations record one choice and put its finish reason on the span: it belongs to that message.
    const first = output.messages?.[0];
    if (finish && first?.role === 'assistant' && first.finish_reason === undefined) first.finish_reason = finish.value;
    out.set('output', output.messages, output.keys);
    out.take('finish_reason', finish);
    out.set('finish_reason', finishReasonOf(output.messages));
    return out.result;
  },
};

function isLlmCall(a: Attributes): boolean {
  return someKey(a, (key) => LLM_CALL_PREFIXES.some((prefix) => key.startsWith(prefix)));
}

function inputOf(a: Attributes, type: EventType | undefined): MessagesFound {
  const inputValue = () => valueOf(a, 'input', 'user');
  switch (type) {
    case 'tool':
      return toolCall(a);
    case 'embedding':
      return firstFound(() => embeddingTexts(a), inputValue);
    case 'reranker':
      return firstFound(() => documentMessages(a, 'reranker.input_documents', 'user', 'reranker.query'), inputValue);
    default:
      return firstFound(() => flattenedMessages(a, 'llm.input_messages', 'user'), () => completionTexts(a, 'llm.prompts', 'user'), inputValue);
  }
}

function outputOf(a: Attributes, type: EventType | undefined): MessagesFound {
  const outputValue = () => valueOf(a, 'output', 'assistant');
  switch (type) {
    case 'tool':
      return toolResult(a);
    case 'retrieval':
      return firstFound(() => documentMessages(a, 'retrieval.documents', 'tool'), outputValue);
    case 'reranker':
      return firstFound(() => documentMessages(a, 'reranker.output_documents', 'tool'), outputValue);
    default:
      return firstFound(() => flattenedMessages(a, 'llm.output_messages', 'assistant'), () => completionTexts(a, 'llm.choices', 'assistant'), outputValue);
  }
}

/**
 * A TOOL span's input is the call the model asked for, its output what the tool returned: the same
 * shape otel-genai gives `execute_tool`. `tool.parameters` / `tool.description` describe the tool's
 * definition, not this call, and stay in attributes.
 */
function toolCall(a: Attributes): MessagesFound {
  const args = valueOf(a, 'input', 'assistant');
  if (args.messages === null) return NO_MESSAGES;
  const raw = a['input.value'];
  const part = toolCallPart(readString(a['tool.id']), readString(a['tool.name']), typeof raw === 'string' ? raw : toJsonValue(raw));
  return { messages: [{ role: 'assistant', parts: [part] }], keys: args.keys };
}

function toolResult(a: Attributes): MessagesFound {
  const result = valueOf(a, 'output', 'tool');
  if (result.messages === null) return NO_MESSAGES;
  const plain = readString(a['output.mime_type']) === 'text/plain';
  const part = toolResponsePart(readString(a['tool.id']), plain ? a['output.value'] : readJson(a['output.value']));
  return { messages: [{ role: 'tool', parts: [part] }], keys: result.keys };
}

/** `llm.cost.total` in USD, else prompt + completion; a cost the client reported wins over a computed one. */
function reportedCost(a: Attributes): { value: number; keys: string[] } | undefined {
  const total = firstOf(a, ['llm.cost.total'], readNumber);
  if (total) return total.value >= 0 ? { value: total.value, keys: [total.key] } : undefined;
  const parts = ['llm.cost.prompt', 'llm.cost.completion'].map((key) => firstOf(a, [key], readNumber)).filter((p) => p !== undefined);
  if (parts.length === 0 || parts.some((p) => p.value < 0)) return undefined;
  // Rounded to 1e-12 USD so 0.0021 + 0.0045 stores as 0.0066, not 0.006600000000000001.
  const sum = Math.round(parts.reduce((acc, p) => acc + p.value, 0) * 1e12) / 1e12;
  return { value: sum, keys: parts.map((p) => p.key) };
}
