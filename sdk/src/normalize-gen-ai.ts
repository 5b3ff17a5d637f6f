/**
 * Renames deprecated OTel GenAI attributes to their current names (semantic-conventions gen-ai
 * >= 1.37) and spells the provider the OTel way, so every instrumentation's spans read alike.
 * A current key already present wins over its deprecated twin, which is removed either way.
 */
import type { AttributeEdits } from './attribute-edits.ts';
import { GEN_AI } from './semconv.ts';
import { otelProviderName } from './provider-name.ts';

const RENAMES: ReadonlyArray<readonly [deprecated: string, current: string]> = [
  ['gen_ai.system', GEN_AI.PROVIDER_NAME],
  ['gen_ai.usage.prompt_tokens', GEN_AI.USAGE_INPUT_TOKENS],
  ['gen_ai.usage.completion_tokens', GEN_AI.USAGE_OUTPUT_TOKENS],
];

/** Normalises `attributes`; writes (and so copies) only when something is renamed or respelled. */
export function normalizeGenAi(attributes: AttributeEdits): void {
  for (const [deprecated, current] of RENAMES) {
    if (!(deprecated in attributes.current)) continue;
    const value = attributes.current[deprecated];
    if (attributes.current[current] === undefined && value !== undefined) attributes.set(current, value);
    attributes.delete(deprecated);
  }
  const provider = attributes.current[GEN_AI.PROVIDER_NAME];
  if (typeof provider !== 'string') return;
  const spelled = otelProviderName(provider);
  if (spelled !== provider) attributes.set(GEN_AI.PROVIDER_NAME, spelled);
}
