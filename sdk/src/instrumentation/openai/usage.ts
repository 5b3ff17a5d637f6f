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
  return usageAttributes(usage, 'prompt', 'completion');
}

/** Responses API: `input_tokens`, `output_tokens` and their details. */
export function responsesUsageAttributes(usage: unknown): Attributes {
  return usageAttributes(usage, 'input', 'output');
}

/** The two APIs name the same counts `<input>_tokens`, `<output>_tokens` and `<...>_tokens_details`. */
function usageAttributes(usage: unknown, input: 'prompt' | 'input', output: 'completion' | 'output'): Attributes {
  if (!isObject(usage)) return {};
  const inputDetails = usage[`${input}_tokens_details`];
  const outputDetails = usage[`${output}_tokens_details`];
  return compact({
    [GEN_AI.USAGE_INPUT_TOKENS]: num(usage[`${input}_tokens`]),
    [GEN_AI.USAGE_OUTPUT_TOKENS]: num(usage[`${output}_tokens`]),
    [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: isObject(inputDetails) ? num(inputDetails.cached_tokens) : undefined,
    [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: isObject(outputDetails) ? num(outputDetails.reasoning_tokens) : undefined,
  });
}
