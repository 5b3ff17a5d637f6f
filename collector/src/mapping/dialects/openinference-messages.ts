/**
 * OpenInference chat messages. Attributes cannot hold lists of objects, so OpenInference flattens
 * them into indexed keys (`llm.input_messages.0.message.role`,
 * `...message.contents.1.message_content.image.image.url`,
 * `...message.tool_calls.0.tool_call.function.arguments`). Each list is rebuilt with `unflatten`
 * and every message reshaped into the OpenAI form the shared normaliser (messages.ts) reads, so
 * only OpenInference's spelling lives here.
 * Spec: openinference `spec/semantic_conventions.md`, "Message Content Arrays" and "Tool Calls".
 */
import type { Message, MessagePart } from '../../events/canonical-event.ts';
import type { Attributes } from '../../otlp/span.ts';
import { isObject, readString, readStringList, unflatten } from '../attribute-readers.ts';
import { toJsonValue } from '../json-value.ts';
import { referencePart } from '../media-parts.ts';
import { textPart, toolCallPart } from '../message-parts.ts';
import { NO_MESSAGES, normaliseMessage, payloadMessages, textMessage, type MessagesFound } from '../messages.ts';

type Json = Record<string, unknown>;

/** `llm.input_messages.*` / `llm.output_messages.*`. */
export function flattenedMessages(a: Attributes, prefix: string, defaultRole: string): MessagesFound {
  const list = unflatten(a, prefix);
  if (!list || !Array.isArray(list.value)) return NO_MESSAGES;
  const messages = list.value
    .map((item) => (isObject(item) && isObject(item.message) ? normaliseMessage(openAIShape(item.message), defaultRole) : undefined))
    .filter((m): m is Message => m !== undefined);
  return messages.length > 0 ? { messages, keys: list.keys } : NO_MESSAGES;
}

/**
 * The completions API (not chat): `llm.prompts.<i>.prompt.text` and `llm.choices.<i>.completion.text`;
 * older SDKs set `llm.prompts` as a plain list of strings.
 */
export function completionTexts(a: Attributes, prefix: 'llm.prompts' | 'llm.choices', role: string): MessagesFound {
  const field = prefix === 'llm.prompts' ? 'prompt' : 'completion';
  const list = unflatten(a, prefix);
  const texts = Array.isArray(list?.value)
    ? list.value.map((item) => (isObject(item) && isObject(item[field]) ? readString(item[field].text) : undefined))
    : [];
  const found = texts.filter((t): t is string => t !== undefined);
  if (list && found.length > 0) return { messages: found.map((t) => textMessage(role, t)), keys: list.keys };
  const plain = readStringList(a[prefix]);
  return plain ? { messages: plain.map((t) => textMessage(role, t)), keys: [prefix] } : NO_MESSAGES;
}

/**
 * `input.value` / `output.value`, the generic payload of every span kind. `text/plain` is text as
 * written; JSON (or no declared type) may be a chat payload, else it is kept as JSON text.
 */
export function valueOf(a: Attributes, side: 'input' | 'output', role: string): MessagesFound {
  const key = `${side}.value`;
  const value = a[key];
  if (value === undefined || value === null) return NO_MESSAGES;
  const messages = typeof value === 'string' && readString(a[`${side}.mime_type`]) === 'text/plain'
    ? (value === '' ? null : [textMessage(role, value)])
    : payloadMessages(typeof value === 'string' ? value : toJsonValue(value), role);
  return messages ? { messages, keys: valueKeys(a, side) } : NO_MESSAGES;
}

/**
 * `input.value` and its mime type. When structured attributes supplied the messages, the value is
 * the same payload again (the raw request or response body), so it is consumed with them rather
 * than stored twice.
 */
export function withValueKeys(found: MessagesFound, a: Attributes, side: 'input' | 'output'): MessagesFound {
  if (found.messages === null) return found;
  const extra = valueKeys(a, side).filter((key) => !found.keys.includes(key));
  return { messages: found.messages, keys: [...found.keys, ...extra] };
}

function valueKeys(a: Attributes, side: 'input' | 'output'): string[] {
  return [`${side}.value`, `${side}.mime_type`].filter((key) => a[key] !== undefined);
}

/** One flattened message as `{role, name, content, tool_calls, tool_call_id, function_call}`. */
function openAIShape(m: Json): Json {
  const shaped: Json = {
    role: m.role,
    name: m.name,
    tool_call_id: m.tool_call_id,
    content: Array.isArray(m.contents) ? m.contents.map(contentPart).filter((p) => p !== undefined) : m.content,
  };
  if (Array.isArray(m.tool_calls)) shaped.tool_calls = m.tool_calls.map((c) => (isObject(c) ? c.tool_call : undefined));
  if (m.function_call_name !== undefined) shaped.function_call = { name: m.function_call_name, arguments: m.function_call_arguments_json };
  return shaped;
}

/** One `message.contents.<j>` item: `{message_content: {type, text, image, audio, video}, tool_call?}`. */
function contentPart(item: unknown): MessagePart | undefined {
  if (!isObject(item)) return undefined;
  const content = isObject(item.message_content) ? item.message_content : {};
  switch (content.type) {
    case 'text':
    case undefined:
      return typeof content.text === 'string' ? textPart(content.text) : undefined;
    case 'reasoning':
      return { type: 'reasoning', content: readString(content.text) ?? '' };
    case 'image':
    case 'audio':
    case 'video':
      return mediaContent(content, content.type);
    case 'tool_use': { // a tool call kept in order among the content items
      const call = isObject(item.tool_call) ? item.tool_call : {};
      const fn = isObject(call.function) ? call.function : {};
      return toolCallPart(call.id, fn.name, fn.arguments);
    }
    default: // a content type newer than this mapper: kept as it came
      return { ...content, type: String(content.type) };
  }
}

/** Media leaves sit one level down: `message_content.image.image.url`, `...audio.audio.{url, mime_type, transcript}`. */
function mediaContent(content: Json, modality: 'image' | 'audio' | 'video'): MessagePart | undefined {
  const holder = content[modality];
  const media = isObject(holder) && isObject(holder[modality]) ? holder[modality] : undefined;
  const url = media && readString(media.url);
  if (media === undefined || url === undefined) return undefined;
  const part = referencePart(url, readString(media.mime_type), modality);
  const transcript = readString(media.transcript);
  return transcript === undefined ? part : { ...part, transcript };
}
