/**
 * Vercel AI SDK provider ids -> OTel `gen_ai.provider.name` values. The SDK names a provider by
 * package and API (`openai.chat`, `openai.responses`, `anthropic.messages`, `google.generative-ai`,
 * `google.vertex.chat`, `vertex.anthropic.messages`, `amazon-bedrock`, `azure.chat`, `xai.chat`,
 * `gateway`); prices and filters need the company that serves the model, spelled as OTel spells it
 * (semantic-conventions gen-ai registry: openai, anthropic, aws.bedrock, azure.ai.openai, cohere,
 * deepseek, gcp.gemini, gcp.vertex_ai, groq, mistral_ai, perplexity, x_ai).
 * Other providers go through the shared spelling table (provider-name.ts), which keeps unknown ones
 * as the SDK's first segment (`fireworks`, `ollama`).
 */
import { otelProviderName } from '../provider-name.ts';

/** First segment of the SDK id -> OTel name. `google` is refined by its second segment below. */
const BY_PACKAGE = new Map([
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['google', 'gcp.gemini'], // google.generative-ai: the Gemini API (AI Studio)
  ['vertex', 'gcp.vertex_ai'], // vertex.anthropic.messages: Anthropic models served by Vertex AI
  ['amazon-bedrock', 'aws.bedrock'],
  ['bedrock', 'aws.bedrock'], // gateway model ids: `bedrock/...`
  ['azure', 'azure.ai.openai'],
  ['azure-openai', 'azure.ai.openai'],
  ['mistral', 'mistral_ai'],
  ['xai', 'x_ai'],
  ['cohere', 'cohere'],
  ['deepseek', 'deepseek'],
  ['groq', 'groq'],
  ['perplexity', 'perplexity'],
]);

/**
 * The OTel provider name for an `ai.model.provider` value. The Vercel AI Gateway (`gateway`, the
 * default provider for string model ids in v5+) routes `openai/gpt-4o` style ids, so its
 * provider is read from the model id's prefix when there is one.
 */
export function vercelProviderName(sdkProvider: string, modelId?: string): string {
  const [first, second] = sdkProvider.toLowerCase().split('.');
  if (first === 'gateway' && modelId?.includes('/')) return vercelProviderName(modelId.split('/')[0]);
  if (first === 'google' && second === 'vertex') return 'gcp.vertex_ai';
  return BY_PACKAGE.get(first) ?? otelProviderName(first);
}
