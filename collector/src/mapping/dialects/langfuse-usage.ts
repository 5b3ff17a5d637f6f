/**
 * Langfuse `usage_details` and `cost_details` (JSON objects of numbers) -> canonical counts and cost.
 *
 * Langfuse usage keys are disjoint buckets that it prices one by one and sums for the total:
 * `input` excludes the cached tokens reported under `input_cached_tokens` / `cache_read_input_tokens`,
 * `output` excludes `output_reasoning_tokens` (its server subtracts them when it converts OTel or
 * Vercel counts, and its SDK integrations report OpenAI usage that way). Canonical counts follow OTel,
 * where input includes cached tokens and output includes reasoning tokens, so every `input_*` /
 * `*_input_tokens` bucket is added back to the input and every `output_*` / `*_output_tokens` one to
 * the output. Source: langfuse/langfuse packages/shared/src/server/otel/OtelIngestionProcessor.ts.
 */
import { isObject, parseJson, readCount, readNumber } from '../attribute-readers.ts';

export interface LangfuseUsage {
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
  /** Every key was understood; otherwise the attribute stays in `attributes` so nothing is lost. */
  complete: boolean;
}

const CACHE_READ_KEYS = new Set(['input_cached_tokens', 'cache_read_input_tokens', 'input_cache_read']);
// Anthropic cache writes, split by TTL (`_5m`, `_1h`) without overlap, or Bedrock's name for them.
const CACHE_WRITE_KEYS = new Set([
  'cache_creation_input_tokens', 'input_cache_creation', 'input_cache_creation_5m', 'input_cache_creation_1h', 'input_cache_write',
]);
const REASONING_KEYS = new Set(['output_reasoning_tokens', 'output_reasoning']);

export function langfuseUsage(raw: unknown): LangfuseUsage | undefined {
  const details = asObject(raw);
  if (!details) return undefined;
  const usage: LangfuseUsage = { complete: true };
  for (const [key, value] of Object.entries(details)) {
    if (value === null) continue; // Python SDKs send unset counts as null
    const count = readCount(value);
    if (count === undefined) {
      usage.complete = false;
      continue;
    }
    const bucket = bucketOf(key);
    if (bucket === undefined) usage.complete = false;
    else add(usage, bucket, count);
    if (CACHE_READ_KEYS.has(key)) add(usage, 'cache_read_tokens', count);
    if (CACHE_WRITE_KEYS.has(key)) add(usage, 'cache_write_tokens', count);
    if (REASONING_KEYS.has(key)) add(usage, 'reasoning_tokens', count);
  }
  return usage;
}

/** The reported cost in USD: `total`, else the sum of the parts (which is how Langfuse totals it). */
export function langfuseCost(raw: unknown): number | undefined {
  const details = asObject(raw);
  if (!details) return undefined;
  const total = readNumber(details.total);
  if (total !== undefined) return total >= 0 ? total : undefined;
  const parts = Object.values(details).map(readNumber).filter((n): n is number => n !== undefined && n >= 0);
  return parts.length > 0 ? parts.reduce((sum, n) => sum + n, 0) : undefined;
}

type Bucket = 'input_tokens' | 'output_tokens' | 'total_tokens';

/**
 * The OpenAI usage shape the SDK also accepts (its `OpenAiUsage` type: camelCase or snake_case
 * prompt/completion/total). Those counts are whole, like OTel's: prompt tokens include cached ones.
 */
const OPENAI_USAGE_KEYS = new Map<string, Bucket>([
  ['promptTokens', 'input_tokens'], ['prompt_tokens', 'input_tokens'], ['inputTokens', 'input_tokens'],
  ['completionTokens', 'output_tokens'], ['completion_tokens', 'output_tokens'], ['outputTokens', 'output_tokens'],
  ['totalTokens', 'total_tokens'], ['total_tokens', 'total_tokens'],
]);

function bucketOf(key: string): Bucket | undefined {
  const openAi = OPENAI_USAGE_KEYS.get(key);
  if (openAi) return openAi;
  if (key === 'total') return 'total_tokens';
  if (key === 'input' || key.startsWith('input_') || key.endsWith('_input_tokens')) return 'input_tokens';
  if (key === 'output' || key.startsWith('output_') || key.endsWith('_output_tokens')) return 'output_tokens';
  return undefined;
}

function add(usage: LangfuseUsage, field: Exclude<keyof LangfuseUsage, 'complete'>, count: number): void {
  usage[field] = (usage[field] ?? 0) + count;
}

function asObject(raw: unknown): Record<string, unknown> | undefined {
  const value = typeof raw === 'string' ? parseJson(raw) : raw;
  return isObject(value) ? value : undefined;
}
