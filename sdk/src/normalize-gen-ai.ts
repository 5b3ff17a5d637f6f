/**
 * Renames deprecated OTel GenAI attributes to their current names (semantic-conventions gen-ai
 * >= 1.37) and spells the provider the OTel way, so every instrumentation's spans read alike.
 * A current key already present wins over its deprecated twin, which is removed either way.
 */
import type { Attributes } from '@opentelemetry/api';
import { GEN_AI } from './semconv.ts';
import { otelProviderName } from './provider-name.ts';

const RENAMES: ReadonlyArray<readonly [deprecated: string, current: string]> = [
  ['gen_ai.system', GEN_AI.PROVIDER_NAME],
  ['gen_ai.usage.prompt_tokens', GEN_AI.USAGE_INPUT_TOKENS],
  ['gen_ai.usage.completion_tokens', GEN_AI.USAGE_OUTPUT_TOKENS],
];

/** Normalises `attributes` in place. */
export function normalizeGenAi(attributes: Attributes): void {
  for (const [deprecated, current] of RENAMES) {
    if (!(deprecated in attributes)) continue;
    if (attributes[current] === undefined) attributes[current] = attributes[deprecated];
    delete attributes[deprecated];
  }
  const provider = attributes[GEN_AI.PROVIDER_NAME];
  if (typeof provider === 'string') attributes[GEN_AI.PROVIDER_NAME] = otelProviderName(provider);
}
