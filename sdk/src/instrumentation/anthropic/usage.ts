/**
 * Anthropic usage -> OTel GenAI usage. Anthropic's `input_tokens` EXCLUDES cache reads and cache
 * writes, while OTel's `gen_ai.usage.input_tokens` includes them (and the collector prices cache
 * tokens as subsets of it), so input = input_tokens + cache_read_input_tokens +
 * cache_creation_input_tokens.
 */
import type { Attributes } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { compact } from '../core/attributes.ts';
import { isObject, num } from '../core/json.ts';

export function anthropicUsageAttributes(usage: unknown): Attributes {
  if (!isObject(usage)) return {};
  const uncached = num(usage.input_tokens);
  const read = num(usage.cache_read_input_tokens);
  const written = num(usage.cache_creation_input_tokens);
  const details = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return compact({
    [GEN_AI.USAGE_INPUT_TOKENS]: uncached === undefined ? undefined : uncached + (read ?? 0) + (written ?? 0),
    [GEN_AI.USAGE_OUTPUT_TOKENS]: num(usage.output_tokens),
    [GEN_AI.USAGE_CACHE_READ_INPUT_TOKENS]: read,
    [GEN_AI.USAGE_CACHE_CREATION_INPUT_TOKENS]: written,
    [GEN_AI.USAGE_REASONING_OUTPUT_TOKENS]: num(details.thinking_tokens),
  });
}
