/**
 * Provider spellings -> OTel `gen_ai.provider.name` values (semantic-conventions gen-ai registry:
 * openai, anthropic, aws.bedrock, azure.ai.inference, azure.ai.openai, cohere, deepseek, gcp.gemini,
 * gcp.gen_ai, gcp.vertex_ai, groq, ibm.watsonx.ai, mistral_ai, perplexity, x_ai). Prices, filters and
 * metrics group by provider, so every dialect spells it the same way. Accepted inputs: OTel names
 * (current and older: `az.ai.inference`, `vertex_ai`), display names ("OpenAI", "Azure OpenAI",
 * "VertexAI" as OpenLLMetry writes them) and SDK ids (`openai.responses`, `anthropic.messages` as
 * the Vercel AI SDK writes them into `gen_ai.system`). Anything else is lower-cased and kept.
 */

const OTEL_NAMES = new Set([
  'openai', 'anthropic', 'aws.bedrock', 'azure.ai.inference', 'azure.ai.openai', 'cohere', 'deepseek', 'gcp.gemini',
  'gcp.gen_ai', 'gcp.vertex_ai', 'groq', 'ibm.watsonx.ai', 'mistral_ai', 'perplexity', 'x_ai',
]);

/** Compact spelling (lower case, no spaces, dashes or underscores) -> OTel name. */
const ALIASES = new Map([
  ['az.ai.inference', 'azure.ai.inference'], // semconv <= 1.29
  ['az.ai.openai', 'azure.ai.openai'],
  ['azureopenai', 'azure.ai.openai'],
  ['azure', 'azure.ai.openai'], // OpenLLMetry/Vercel: the OpenAI SDK pointed at Azure
  ['aws', 'aws.bedrock'],
  ['amazonbedrock', 'aws.bedrock'],
  ['bedrock', 'aws.bedrock'],
  ['vertexai', 'gcp.vertex_ai'],
  ['vertex', 'gcp.vertex_ai'],
  ['gemini', 'gcp.gemini'],
  ['google', 'gcp.gen_ai'],
  ['mistral', 'mistral_ai'],
  ['mistralai', 'mistral_ai'],
  ['xai', 'x_ai'],
  ['watsonx', 'ibm.watsonx.ai'],
]);

export function otelProviderName(raw: string): string {
  const lower = raw.trim().toLowerCase();
  if (OTEL_NAMES.has(lower)) return lower;
  const alias = ALIASES.get(lower.replace(/[\s_-]/g, ''));
  if (alias) return alias;
  // An SDK id names the API after the provider (`openai.chat`, `anthropic.messages`): keep the provider.
  const [first] = lower.split('.');
  if (first !== lower) return otelProviderName(first);
  return lower;
}
