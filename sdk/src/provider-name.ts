/**
 * Provider spellings -> OTel `gen_ai.provider.name` values (openai, anthropic, aws.bedrock,
 * azure.ai.openai, gcp.vertex_ai, mistral_ai, x_ai, ...). The common display names and SDK ids
 * (`OpenAI`, `Azure OpenAI`, `anthropic.messages`) are covered; anything else is lower-cased. The
 * collector normalises again with its full table, so this only has to be right for the usual cases.
 * Registry: https://opentelemetry.io/docs/specs/semconv/registry/attributes/gen-ai/
 */

/** Compact spelling (lower case without spaces, dashes, underscores) -> OTel name. */
const ALIASES = new Map([
  ['azureopenai', 'azure.ai.openai'],
  ['azure', 'azure.ai.openai'],
  ['azaiopenai', 'azure.ai.openai'],
  ['azaiinference', 'azure.ai.inference'],
  ['bedrock', 'aws.bedrock'],
  ['awsbedrock', 'aws.bedrock'],
  ['amazonbedrock', 'aws.bedrock'],
  ['vertexai', 'gcp.vertex_ai'],
  ['gemini', 'gcp.gemini'],
  ['google', 'gcp.gen_ai'],
  ['mistral', 'mistral_ai'],
  ['mistralai', 'mistral_ai'],
  ['xai', 'x_ai'],
  ['watsonx', 'ibm.watsonx.ai'],
]);

/** Names that are already OTel values but would be mangled by the SDK-id rule below. */
const DOTTED = new Set(['aws.bedrock', 'azure.ai.openai', 'azure.ai.inference', 'gcp.gemini', 'gcp.gen_ai', 'gcp.vertex_ai', 'ibm.watsonx.ai']);

/** The OTel spelling of a provider name. */
export function otelProviderName(raw: string): string {
  const lower = raw.trim().toLowerCase();
  if (DOTTED.has(lower)) return lower;
  const alias = ALIASES.get(lower.replace(/[\s_.-]/g, ''));
  if (alias) return alias;
  // An SDK id names the API after the provider (`openai.chat`, `anthropic.messages`): keep the provider.
  const dot = lower.indexOf('.');
  return dot > 0 ? otelProviderName(lower.slice(0, dot)) : lower;
}
