/**
 * Model names arrive as the client spelled them: `openai/gpt-4o` (routers), `models/gemini-1.5-pro`
 * (Gemini API), full Vertex resource paths, `accounts/fireworks/models/...`, Bedrock ids
 * (`us.anthropic.claude-3-5-sonnet-20240620-v1:0`), Vertex `claude-sonnet-4-5@20250929`, OpenRouter
 * `:thinking` variants. Normalising them here keeps the price table's patterns about models, not spellings.
 * Dates and version suffixes are NOT stripped: a dated snapshot can have its own price (gpt-4o-2024-05-13).
 */
export interface NormalizedModel {
  /** The model name as sent, trimmed and lower-cased (what exact overrides and `ft:` patterns see). */
  raw: string;
  /** Lower-cased model name without router, resource or Bedrock prefixes. */
  name: string;
  /** Prefixes that were removed (`groq`, `openrouter`, `anthropic`, ...): they name a provider or host. */
  hints: string[];
}

const BEDROCK = /^(?:(?:us|eu|apac|ap|au|ca|jp|sa|us-gov|global)\.)?(anthropic|meta|mistral|amazon|cohere|ai21|deepseek|openai|qwen|writer)\.(.+)$/;
/** Model names are short; capping the length bounds the work of user-supplied override regexes. */
const MAX_NAME = 256;

export function normalizeModelName(model: string): NormalizedModel {
  const raw = model.trim().toLowerCase().slice(0, MAX_NAME);
  const segments = raw.split('/');
  let name = segments.pop() ?? '';
  const hints = segments.filter((s) => s !== '');
  const bedrock = BEDROCK.exec(name);
  if (bedrock) {
    hints.push(bedrock[1]);
    // `-v1:0`, `:0:200k`: the revision/throughput after the colon never changes the list price.
    name = bedrock[2].replace(/(:[0-9a-z]+)+$/, '');
  }
  name = name.replace('@', '-').replace(/:thinking$/, '');
  return { raw, name, hints };
}

/**
 * Whether a call went through `provider`: the event's provider (`groq`, `groq.chat`, `gcp.vertex_ai`)
 * split into words, or a prefix removed from the model name (`groq/llama-3.1-8b-instant`).
 */
export function viaProvider(provider: string, eventProvider: string | undefined, hints: readonly string[]): boolean {
  const words = (eventProvider ?? '').toLowerCase().split(/[^a-z0-9]+/);
  return words.includes(provider) || hints.includes(provider);
}
