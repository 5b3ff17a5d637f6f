/**
 * OpenInference names the provider twice: `llm.provider` is who hosted the call (`azure`, `aws`,
 * `groq`) and `llm.system` the product or API family (`openai`, `anthropic`, `amazon`). The
 * canonical provider follows OTel `gen_ai.provider.name`, which identifies who served the request
 * (`azure.ai.openai`, `aws.bedrock`), because that is what prices and quotas depend on: Claude on
 * Bedrock is billed by AWS, the OpenAI SDK pointed at Groq by Groq. So the host wins, refined by
 * the product where OTel tells them apart, and spellings are translated to the OTel values.
 * Spec: openinference `spec/semantic_conventions.md` (well-known `llm.provider` / `llm.system` values).
 */
import type { Attributes } from '../../otlp/span.ts';
import { readString } from '../attribute-readers.ts';

const PROVIDER_KEY = 'llm.provider';
const SYSTEM_KEY = 'llm.system';

/** A host whose OTel name depends on the product it served. */
const HOST_WITH_PRODUCT = new Map([
  ['azure/openai', 'azure.ai.openai'],
  ['google/vertexai', 'gcp.vertex_ai'],
]);

/** OpenInference spellings that differ from OTel's; anything else (openai, groq, ...) is already the OTel value. */
const OTEL_NAMES = new Map([
  ['azure', 'azure.ai.inference'], // Azure hosting something other than the OpenAI API
  ['aws', 'aws.bedrock'],
  ['amazon', 'aws.bedrock'],
  ['google', 'gcp.gen_ai'], // Gemini API or Vertex AI: OTel's name for "some Google endpoint"
  ['vertexai', 'gcp.vertex_ai'],
  ['mistralai', 'mistral_ai'],
  ['xai', 'x_ai'],
]);

interface Provider {
  value: string;
  keys: string[];
}

/**
 * The canonical provider with the keys it was read from. `llm.system` counts as read (and leaves
 * `attributes`) only when it shaped or repeats the answer; a different product stays visible.
 */
export function openInferenceProvider(a: Attributes): Provider | undefined {
  const host = normalise(a[PROVIDER_KEY]);
  const product = normalise(a[SYSTEM_KEY]);
  if (host === undefined) {
    return product === undefined ? undefined : { value: OTEL_NAMES.get(product) ?? product, keys: [SYSTEM_KEY] };
  }
  const combined = product === undefined ? undefined : HOST_WITH_PRODUCT.get(`${host}/${product}`);
  if (combined !== undefined) return { value: combined, keys: [PROVIDER_KEY, SYSTEM_KEY] };
  const name = OTEL_NAMES.get(host) ?? host;
  const repeated = product !== undefined && (OTEL_NAMES.get(product) ?? product) === name;
  return { value: name, keys: repeated ? [PROVIDER_KEY, SYSTEM_KEY] : [PROVIDER_KEY] };
}

function normalise(value: unknown): string | undefined {
  return readString(value)?.trim().toLowerCase();
}
