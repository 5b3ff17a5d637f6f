/**
 * Vercel AI SDK telemetry (`experimental_telemetry`), v4-v6 `ai.*` attributes. v7 (`@ai-sdk/otel`)
 * emits OTel GenAI spans instead, which otel-genai maps; nothing here is needed for it.
 *
 *   ai.generateText ─► ai.generateText.doGenerate (one per step) ─► ai.toolCall
 *   ai.streamText   ─► ai.streamText.doStream (events ai.stream.firstChunk, ai.stream.finish)
 *   ai.generateObject / ai.streamObject ─► .doGenerate / .doStream; ai.embed / ai.embedMany ─► .doEmbed
 *
 * Types: the provider call (`do*`) is the `llm` / `embedding` event. The outer call is a `chain`:
 * it wraps every step and the tool calls between them and reports their summed usage, so calling
 * it an LLM call would show (and count) each model call twice. Langfuse reads them the same way
 * (do* = generation, outer = span). The collector still sees the outer usage and decides
 * `counts_usage` from the nesting.
 *
 * The SDK also sets `gen_ai.system`, `gen_ai.request.model`, `gen_ai.response.*` and
 * `gen_ai.usage.{input,output}_tokens` on do* spans; the OTel dialects run first and read those,
 * this dialect fills the rest (messages, cache and reasoning tokens, time to first chunk, metadata).
 * Source: vercel/ai packages/ai/src/generate-text/{generate-text,stream-text}.ts and
 * packages/ai/src/telemetry/* (v5, v6), https://ai-sdk.dev/docs/ai-sdk-core/telemetry.
 */
import type { EventType } from '../../events/canonical-event.ts';
import type { Attributes, DecodedSpan } from '../../otlp/span.ts';
import { firstOf, hasKeyWithPrefix, isObject, readCount, readJson, readNumber, readString, type Reader } from '../attribute-readers.ts';
import { ResultBuilder, type Dialect, type DialectResult, type MappedField } from '../dialect.ts';
import { vercelInput, vercelOutput } from './vercel-ai-messages.ts';
import { vercelProviderName } from './vercel-ai-provider.ts';
import { telemetryMetadata } from './vercel-ai-metadata.ts';

interface Operation {
  type: EventType;
  /** The OTel `gen_ai.operation.name`; outer calls have none and keep their operation id. */
  operation?: string;
}

const OUTER: Operation = { type: 'chain' };
const CHAT: Operation = { type: 'llm', operation: 'chat' };
const EMBEDDINGS: Operation = { type: 'embedding', operation: 'embeddings' };

/** `ai.operationId` (which is also the span name) -> canonical type and operation. */
const OPERATIONS = new Map<string, Operation>([
  ['ai.generateText', OUTER], ['ai.streamText', OUTER], ['ai.generateObject', OUTER], ['ai.streamObject', OUTER],
  ['ai.embed', OUTER], ['ai.embedMany', OUTER], ['ai.rerank', OUTER],
  ['ai.generateText.doGenerate', CHAT], ['ai.streamText.doStream', CHAT],
  ['ai.generateObject.doGenerate', CHAT], ['ai.streamObject.doStream', CHAT],
  ['ai.embed.doEmbed', EMBEDDINGS], ['ai.embedMany.doEmbed', EMBEDDINGS],
  ['ai.rerank.doRerank', { type: 'reranker', operation: 'rerank' }],
  ['ai.toolCall', { type: 'tool', operation: 'execute_tool' }],
]);

export const vercelAi: Dialect = {
  name: 'vercel-ai',

  matches: (span) => hasKeyWithPrefix(span.attributes, 'ai.'),

  extract(span: DecodedSpan): DialectResult {
    const a = span.attributes;
    const out = new ResultBuilder();
    const operationId = firstOf(a, ['ai.operationId'], readString);
    const operation = OPERATIONS.get(operationId?.value ?? span.name);
    if (operation) {
      const keys = operationId ? [operationId.key] : [];
      out.set('type', operation.type, keys);
      out.set('operation_name', operation.operation ?? operationId?.value ?? span.name, keys);
    }

    const model = firstOf(a, ['ai.response.model', 'ai.model.id'], readString);
    out.take('model', model);
    const provider = firstOf(a, ['ai.model.provider'], readString);
    if (provider) {
      const name = vercelProviderName(provider.value, readString(a['ai.model.id']));
      // `openai.responses` says more than `openai`: the raw id leaves attributes only when nothing is lost.
      out.set('provider', name, name === provider.value ? [provider.key] : []);
    }

    // Token counts follow OTel: input includes cached tokens, output includes reasoning tokens.
    takeAliases(out, a, 'input_tokens', ['ai.usage.inputTokens', 'ai.usage.promptTokens', 'ai.usage.tokens'], readCount);
    takeAliases(out, a, 'output_tokens', ['ai.usage.outputTokens', 'ai.usage.completionTokens'], readCount);
    takeAliases(out, a, 'total_tokens', ['ai.usage.totalTokens'], readCount);
    takeAliases(out, a, 'cache_read_tokens', ['ai.usage.inputTokenDetails.cacheReadTokens', 'ai.usage.cachedInputTokens'], readCount);
    takeAliases(out, a, 'cache_write_tokens', ['ai.usage.inputTokenDetails.cacheWriteTokens'], readCount);
    out.set('cache_write_tokens', providerCacheWrites(a));
    takeAliases(out, a, 'reasoning_tokens', ['ai.usage.outputTokenDetails.reasoningTokens', 'ai.usage.reasoningTokens'], readCount);

    // v5+ `ai.response.msToFirstChunk`; v4 and object streams `ai.stream.msToFirstChunk`.
    const ttfc = takeAliases(out, a, 'time_to_first_token_ms', ['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk'], readMillis);
    if (!ttfc) out.set('time_to_first_token_ms', firstChunkMillis(span));

    out.take('tool_name', firstOf(a, ['ai.toolCall.name'], readString));
    out.take('finish_reason', firstOf(a, ['ai.response.finishReason'], readString));
    const input = vercelInput(a);
    out.set('input', input.messages, input.keys);
    const output = vercelOutput(a);
    out.set('output', output.messages, output.keys);

    telemetryMetadata(a, out);
    return out.result;
  },
};

/**
 * Reads `field` from the first readable key and consumes every key present: the SDK writes the
 * same count under its old and new names (`cachedInputTokens` and `inputTokenDetails.cacheReadTokens`).
 */
function takeAliases<K extends MappedField>(
  out: ResultBuilder, a: Attributes, field: K, keys: readonly string[], read: Reader<NonNullable<DialectResult['fields'][K]>>,
): boolean {
  const found = firstOf(a, keys, read);
  if (found) out.set(field, found.value, keys.filter((key) => read(a[key]) !== undefined));
  return found !== undefined;
}

/** Milliseconds kept to microsecond precision (the SDK reports `performance.now()` differences). */
const readMillis: Reader<number> = (value) => {
  const ms = readNumber(value);
  return ms === undefined || ms < 0 ? undefined : Math.round(ms * 1e3) / 1e3;
};

/** Older SDKs only record the `ai.stream.firstChunk` event: its attribute, else its offset from the span start. */
function firstChunkMillis(span: DecodedSpan): number | undefined {
  const event = span.events.find((e) => e.name === 'ai.stream.firstChunk');
  if (!event) return undefined;
  const reported = firstOf(event.attributes, ['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk'], readMillis);
  if (reported) return reported.value;
  return event.timeUnixNano >= span.startTimeUnixNano ? readMillis(Number(event.timeUnixNano - span.startTimeUnixNano) / 1e6) : undefined;
}

/**
 * v5 has no cache-write count of its own; Anthropic and Bedrock report it in provider metadata.
 * Without it a prompt-cache write would be priced as plain input. The attribute stays, it says more.
 */
function providerCacheWrites(a: Attributes): number | undefined {
  const metadata = firstOf(a, ['ai.response.providerMetadata'], readJson)?.value;
  if (!isObject(metadata)) return undefined;
  const anthropic = isObject(metadata.anthropic) ? metadata.anthropic : {};
  const bedrockUsage = isObject(metadata.bedrock) && isObject(metadata.bedrock.usage) ? metadata.bedrock.usage : {};
  return readCount(anthropic.cacheCreationInputTokens) ?? readCount(bedrockUsage.cacheWriteInputTokens);
}
