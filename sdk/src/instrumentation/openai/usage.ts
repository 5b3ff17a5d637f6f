/**
 * OpenAI usage -> OTel GenAI usage. OpenAI already counts the way OTel does: prompt/input tokens
 * include cached ones, completion/output tokens include reasoning ones, so no arithmetic is needed.
 */
import type { Attributes } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { compact } from '../core/attributes.ts';
import { isObject, num } from '../core/json.ts';

/** Chat Completions and Embeddings: `prompt_tokens`, `completion_tokens` and their details. */
export function chatUsageAttributes(usage: unknown): Attributes {
  if (!isObject(usage)) return {};
  const prompt = isObject(usage.prompt_tokens_details) ? usage.prompt_tokens_details : {};
  const completion = isObject(usage.completion_tokens_details) ? usage.completion_tokens_details : {};
  return compact({
    [GEN_AI.USAGE_INPUT_TOKENS]: num(usage.prompt_tokens),
    [GEN_AI.USAGE_OUTPUT_TOKENS]: num(usage.completion_tokens),
    [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: num(prompt.cached_tokens),
    [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: num(completion.reasoning_tokens),
  });
}

/** Responses API: `input_tokens`, `output_tokens` and their details. */
export function responsesUsageAttributes(usage: unknown): Attributes {
  if (!isObject(usage)) return {};
  const input = isObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const output = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return compact({
    [GEN_AI.USAGE_INPUT_TOKENS]: num(usage.input_tokens),
    [GEN_AI.USAGE_OUTPUT_TOKENS]: num(usage.output_tokens),
    [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: num(input.cached_tokens),
    [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: num(output.reasoning_tokens),
  });
}
