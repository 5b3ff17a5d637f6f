/**
 * Message content -> OTel GenAI parts (`text`, `reasoning`, `tool_call`, `tool_call_response`, media).
 * Accepts the part shapes of the conventions the dialects read: OTel itself, OpenAI chat and
 * responses, Anthropic content blocks, Vercel AI SDK parts, Gemini `{text}`. Unknown typed parts are
 * kept as they are (OTel's GenericPart), so nothing an instrumentation sent is lost.
 */
import type { MessagePart } from '../events/canonical-event.ts';
import { isObject, parseJson, readString } from './attribute-readers.ts';
import { mediaPart } from './media-parts.ts';

type Json = Record<string, unknown>;

export function textPart(content: string): MessagePart {
  return { type: 'text', content };
}

/** A tool call; JSON-encoded arguments (OpenAI sends strings) are parsed so every dialect stores objects. */
export function toolCallPart(id: unknown, name: unknown, args: unknown): MessagePart {
  const part: MessagePart = { type: 'tool_call' };
  const callId = readString(id);
  if (callId !== undefined) part.id = callId;
  part.name = readString(name) ?? '';
  if (args !== undefined && args !== null) part.arguments = parseStructured(args);
  return part;
}

export function toolResponsePart(id: unknown, response: unknown): MessagePart {
  const part: MessagePart = { type: 'tool_call_response' };
  const callId = readString(id);
  if (callId !== undefined) part.id = callId;
  part.response = response ?? null;
  return part;
}

/** An OpenAI `tool_calls[]` item `{id, type: 'function', function: {name, arguments}}`. */
export function openAIToolCallPart(raw: unknown): MessagePart | undefined {
  if (!isObject(raw)) return undefined;
  const fn = isObject(raw.function) ? raw.function : raw;
  return toolCallPart(raw.id, fn.name, fn.arguments);
}

/** Message content (a string, an array of parts, one part object, or null) as parts. */
export function partsFromContent(content: unknown): MessagePart[] {
  if (content === undefined || content === null || content === '') return [];
  const items = Array.isArray(content) ? content : [content];
  return items.map(normalisePart).filter((part): part is MessagePart => part !== undefined);
}

/** Text of content for places that need a string (tool responses): text parts joined, else the JSON. */
export function contentText(content: unknown): unknown {
  if (typeof content === 'string' || !Array.isArray(content)) return content;
  const parts = partsFromContent(content);
  const texts = parts.filter((p) => p.type === 'text').map((p) => p.content);
  return texts.length === parts.length ? texts.join('') : parts;
}

export function normalisePart(raw: unknown): MessagePart | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string') return textPart(raw);
  if (!isObject(raw)) return textPart(String(raw));
  const media = mediaPart(raw);
  if (media) return media;
  switch (raw.type) {
    case 'text':
    case 'input_text': // OpenAI responses API
    case 'output_text':
      return textPart(readText(raw) ?? '');
    case 'reasoning':
    case 'thinking': // Anthropic extended thinking
      return { type: 'reasoning', content: readText(raw) ?? readString(raw.thinking) ?? '' };
    case 'tool_call':
      return toolCallPart(raw.id, raw.name, raw.arguments);
    case 'function': // an OpenAI tool_calls item placed among parts
      return openAIToolCallPart(raw);
    case 'tool_use': // Anthropic
      return toolCallPart(raw.id, raw.name, raw.input);
    case 'tool-call': // Vercel AI SDK (v4 `args`, v5+ `input`)
      return toolCallPart(raw.toolCallId, raw.toolName, raw.input ?? raw.args);
    case 'tool_call_response':
      return toolResponsePart(raw.id, raw.response);
    case 'tool_result': // Anthropic
      return toolResponsePart(raw.tool_use_id, contentText(raw.content));
    case 'tool-result': // Vercel AI SDK
      return toolResponsePart(raw.toolCallId, raw.output ?? raw.result);
    case undefined:
      return untypedPart(raw);
    default:
      return raw as MessagePart;
  }
}

/** Parts without a `type`: Gemini `{text}`, bare `{content}`; anything else is kept under `value`. */
function untypedPart(raw: Json): MessagePart {
  const text = readText(raw);
  return text !== undefined ? textPart(text) : { type: 'unknown', value: raw };
}

function readText(raw: Json): string | undefined {
  for (const key of ['content', 'text']) if (typeof raw[key] === 'string') return raw[key] as string;
  return undefined;
}

function parseStructured(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  return parseJson(value) ?? value;
}
