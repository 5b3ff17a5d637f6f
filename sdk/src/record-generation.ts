/**
 * recordGeneration(): records a model call the app made itself (no instrumentation for its client)
 * as a finished LLM span with the current OTel GenAI attributes, child of the active span.
 */
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { observaTracer } from './active-sdk.ts';
import { toGenAiMessages } from './gen-ai-messages.ts';
import { otelProviderName } from './provider-name.ts';
import { GEN_AI } from './semconv.ts';
import { recordError } from './span-outcome.ts';
import type { GenerationInput, SpanRef } from './types.ts';

/** Records one model call; returns the ids of its span (for score()). */
export function recordGeneration(generation: GenerationInput): SpanRef {
  const operation = generation.operation ?? 'chat';
  const endTime = generation.endTime ?? Date.now();
  const span = observaTracer().startSpan(generation.name ?? `${operation} ${generation.model}`, {
    kind: SpanKind.CLIENT,
    startTime: generation.startTime ?? endTime,
    attributes: { ...generation.attributes, ...generationAttributes(generation, operation) },
  });
  if (generation.error !== undefined) recordError(span, generation.error);
  span.end(endTime);
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

function generationAttributes(generation: GenerationInput, operation: string): Attributes {
  const attributes: Attributes = {
    [GEN_AI.OPERATION_NAME]: operation,
    [GEN_AI.PROVIDER_NAME]: otelProviderName(generation.provider),
    [GEN_AI.REQUEST_MODEL]: generation.model,
  };
  const set = (key: string, value: Attributes[string]) => {
    if (value !== undefined) attributes[key] = value;
  };
  const usage = generation.usage;
  set(GEN_AI.USAGE_INPUT_TOKENS, usage?.inputTokens);
  set(GEN_AI.USAGE_OUTPUT_TOKENS, usage?.outputTokens);
  set(GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS, usage?.cacheReadTokens);
  set(GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS, usage?.cacheWriteTokens);
  set(GEN_AI.USAGE_REASONING_OUTPUT_TOKENS, usage?.reasoningTokens);
  if (generation.input !== undefined) set(GEN_AI.INPUT_MESSAGES, JSON.stringify(toGenAiMessages(generation.input, 'user')));
  if (generation.output !== undefined) {
    const output = toGenAiMessages(generation.output, 'assistant');
    if (generation.finishReason) for (const message of output) message.finish_reason ??= generation.finishReason;
    set(GEN_AI.OUTPUT_MESSAGES, JSON.stringify(output));
  }
  if (generation.finishReason) set(GEN_AI.RESPONSE_FINISH_REASONS, [generation.finishReason]);
  if (generation.timeToFirstTokenMs !== undefined) set(GEN_AI.RESPONSE_TIME_TO_FIRST_CHUNK, generation.timeToFirstTokenMs / 1000);
  return attributes;
}
