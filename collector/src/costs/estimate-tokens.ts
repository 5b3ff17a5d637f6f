/**
 * Token estimate for spans that carry messages but no usage, with gpt-tokenizer. OpenAI models use their
 * real encoding (o200k_base for gpt-4o / 4.1 / 4.5 / 5 / o-series / gpt-oss, cl100k_base for older ones).
 * Anthropic, Gemini, Mistral and others have tokenizers that are not public or not bundled: cl100k_base is
 * the closest available and typically within ~10-20% for English text. Counted: text and reasoning parts,
 * tool call names + JSON arguments, tool results; plus OpenAI's chat overhead (3 tokens per message, the
 * role, 1 per name, 3 to prime the reply). Media (blob, file, uri) is skipped: its cost is not text tokens.
 */
import { createRequire } from 'node:module';
import type { Message, MessagePart } from '../events/canonical-event.ts';
import { normalizeModelName } from './model-name.ts';

export type EncodingName = 'o200k_base' | 'cl100k_base';

interface Encoding {
  countTokens(text: string, options?: { disallowedSpecial?: Set<string> }): number;
}

const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING = 3;
const SKIPPED_PARTS = new Set(['blob', 'file', 'uri', 'image', 'image_url', 'audio', 'video']);
/** text / reasoning: content; tool_call: name + arguments; tool_call_response: response (same for server_*). */
const COUNTED_FIELDS = ['content', 'name', 'arguments', 'response'] as const;
/**
 * Text is counted in slices of this many characters: BPE merging is quadratic in the length of one
 * pre-token, so a long run without word breaks ('x' x 64k) took seconds and a 10 MB prompt minutes.
 * Slicing costs under 1% of accuracy on prose.
 */
const SLICE_CHARS = 1000;
/** User text may contain `<|endoftext|>`; count it as text instead of throwing. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

// Each encoding costs 100-400 ms to load: required lazily (synchronously, via the CommonJS build), once.
const require = createRequire(import.meta.url);
const encodings = new Map<EncodingName, Encoding>();

function encoding(name: EncodingName): Encoding {
  let loaded = encodings.get(name);
  if (!loaded) {
    loaded = require(`gpt-tokenizer/encoding/${name}`) as Encoding;
    encodings.set(name, loaded);
  }
  return loaded;
}

export function encodingFor(model: string): EncodingName {
  const { name } = normalizeModelName(model);
  return /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|gpt-oss|codex)/.test(name) ? 'o200k_base' : 'cl100k_base';
}

export function estimateTokens(input: Message[] | null, output: Message[] | null, model: string): { input_tokens: number; output_tokens: number } {
  const enc = encoding(encodingFor(model));
  const count = (text: string): number => {
    let tokens = 0;
    for (let at = 0; at < text.length; at += SLICE_CHARS) tokens += enc.countTokens(text.slice(at, at + SLICE_CHARS), AS_TEXT);
    return tokens;
  };
  const parts = (message: Message): number => message.parts.reduce((sum, part) => sum + partTokens(part, count), 0);

  let inputTokens = 0;
  for (const message of input ?? []) {
    inputTokens += TOKENS_PER_MESSAGE + count(message.role) + parts(message);
    if (message.name) inputTokens += TOKENS_PER_NAME + count(message.name);
  }
  if (input && input.length > 0) inputTokens += REPLY_PRIMING;
  // Output is what the model generated: no per-message framing is billed as completion tokens.
  const outputTokens = (output ?? []).reduce((sum, message) => sum + parts(message), 0);
  return { input_tokens: inputTokens, output_tokens: outputTokens };
}

function partTokens(part: MessagePart, count: (text: string) => number): number {
  if (SKIPPED_PARTS.has(part.type)) return 0;
  return COUNTED_FIELDS.reduce((sum, key) => sum + count(asText(part[key])), 0);
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}
