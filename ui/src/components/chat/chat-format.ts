/**
 * Pure helpers behind the chat renderer: coercing stored input/output into messages (old data may not
 * be an array), spotting JSON in text so it can be pretty-printed, deciding what counts as long, and
 * which media references are safe to show as an image.
 */
import type { Message, MessagePart } from '../../api/types.ts';

/** Text over this many characters or lines is collapsed behind "Show more". */
export const LONG_TEXT_CHARS = 1200;
export const LONG_TEXT_LINES = 30;

/** Stored messages as a list, or null when there is nothing usable (null, empty, or not an array). */
export function asMessages(value: unknown): Message[] | null {
  if (!Array.isArray(value)) return null;
  const messages = value.filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null).map(repairMessage);
  return messages.length > 0 ? messages : null;
}

/** A message whose parts are missing or malformed keeps what it has: `content` text, or the object as JSON. */
function repairMessage(raw: Record<string, unknown>): Message {
  const role = typeof raw.role === 'string' && raw.role ? raw.role : 'unknown';
  const message = { ...raw, role } as Message;
  if (Array.isArray(raw.parts)) {
    message.parts = raw.parts.map((p) => (typeof p === 'object' && p !== null && typeof (p as MessagePart).type === 'string' ? (p as MessagePart) : { type: 'unknown', value: p }));
  } else if (typeof raw.content === 'string') {
    message.parts = [{ type: 'text', content: raw.content }];
  } else {
    message.parts = raw.content === undefined ? [] : [{ type: 'unknown', value: raw.content }];
  }
  return message;
}

/** A value as display text: strings as they are, anything else as indented JSON. */
export function prettyJson(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Text that is a JSON object or array, re-indented; null for anything else (prose, numbers, bad JSON). */
export function prettyJsonText(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length < 2 || trimmed.length > 500_000) return null;
  const first = trimmed[0];
  const last = trimmed[trimmed.length - 1];
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}

export function isLongText(text: string): boolean {
  return text.length > LONG_TEXT_CHARS || lineCount(text, LONG_TEXT_LINES + 1) > LONG_TEXT_LINES;
}

/** The head of a long text shown while collapsed: at most LONG_TEXT_CHARS characters and LONG_TEXT_LINES lines. */
export function textHead(text: string): string {
  let end = Math.min(text.length, LONG_TEXT_CHARS);
  let lines = 0;
  for (let i = 0; i < end; i++) {
    if (text[i] === '\n' && ++lines === LONG_TEXT_LINES) {
      end = i;
      break;
    }
  }
  return text.slice(0, end);
}

function lineCount(text: string, stopAt: number): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && lines < stopAt; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** The plain text of a message (text parts, tool calls as JSON), for the copy button. */
export function messageText(message: Message): string {
  return message.parts
    .map((part) => (part.type === 'text' || part.type === 'reasoning' ? prettyJson(part.content) : prettyJson(part)))
    .join('\n\n');
}

/** A source an <img> may load: http(s) URLs and data: image URLs only (never javascript: and the like). */
export function imageSource(part: MessagePart): string | null {
  const mime = typeof part.mime_type === 'string' ? part.mime_type : '';
  const isImage = part.modality === 'image' || mime.startsWith('image/');
  if (part.type === 'uri' && typeof part.uri === 'string') {
    if (/^data:image\//i.test(part.uri)) return part.uri;
    const looksLikeImage = isImage || /\.(png|jpe?g|gif|webp|svg|avif)(\?|#|$)/i.test(part.uri);
    return looksLikeImage && /^https?:\/\//i.test(part.uri) ? part.uri : null;
  }
  if (part.type === 'blob' && typeof part.content === 'string' && isImage) return `data:${mime || 'image/png'};base64,${part.content}`;
  return null;
}

/** Tool names by call id across a conversation, so a result can say which call it answers. */
export function toolCallNames(messages: Message[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.type === 'tool_call' && typeof part.id === 'string' && typeof part.name === 'string') names.set(part.id, part.name);
    }
  }
  return names;
}
