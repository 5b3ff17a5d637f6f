/**
 * Chat messages in any of the shapes instrumentations emit -> the OTel GenAI `{role, parts}` shape
 * (`Message`). Dialects hand over what they found (a JSON string, parsed objects, a plain prompt
 * string) and get canonical messages back, so each convention's quirks stay in its dialect and the
 * message shapes stay here. Spec: semantic-conventions gen-ai `gen-ai-input-messages.json`.
 */
import type { Message, MessagePart } from '../events/canonical-event.ts';
import { isObject, parseJson, readString } from './attribute-readers.ts';
import { contentText, openAIToolCallPart, partsFromContent, textPart, toolCallPart, toolResponsePart } from './message-parts.ts';

export function textMessage(role: string, text: string): Message {
  return { role, parts: [textPart(text)] };
}

/**
 * Messages from a loosely typed value: a JSON string of messages (or of OpenAI choices), an array,
 * one message object, `{messages: [...]}`, or plain text (which becomes one `defaultRole` message).
 * Returns null when nothing usable is there.
 */
export function messagesFrom(value: unknown, defaultRole: string): Message[] | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') {
    const parsed = parseJson(value);
    // Only structured JSON is a message list; "42" or "\"hi\"" are prompts that happen to parse.
    return typeof parsed === 'object' && parsed !== null ? messagesFrom(parsed, defaultRole) : [textMessage(defaultRole, value)];
  }
  if (isObject(value) && Array.isArray(value.messages)) return messagesFrom(value.messages, defaultRole);
  const items = Array.isArray(value) ? value : [value];
  const messages = items.map((item) => normaliseMessage(item, defaultRole)).filter((m): m is Message => m !== undefined);
  return messages.length > 0 ? messages : null;
}

/** Messages with the attribute keys they were read from, so a dialect can report them as consumed. */
export interface MessagesFound {
  messages: Message[] | null;
  keys: string[];
}

export const NO_MESSAGES: MessagesFound = Object.freeze({ messages: null, keys: [] as string[] });

/**
 * The first candidate (in precedence order) that finds messages. Candidates are functions so the
 * later ones (which may parse a whole request body) only run when the earlier ones found nothing.
 */
export function firstFound(...candidates: Array<() => MessagesFound>): MessagesFound {
  for (const candidate of candidates) {
    const found = candidate();
    if (found.messages !== null) return found;
  }
  return NO_MESSAGES;
}

/** The first finish reason among messages (each choice carries its own; the first one's is the span's). */
export function finishReasonOf(messages: readonly Message[] | null | undefined): string | undefined {
  return messages?.find((m) => m.finish_reason)?.finish_reason;
}

/**
 * One message: OTel `{role, parts}` (parts repaired), OpenAI `{role, content, tool_calls, tool_call_id}`,
 * Anthropic/Vercel `{role, content: [blocks]}`, or an OpenAI choice `{index, message, finish_reason}`.
 */
export function normaliseMessage(raw: unknown, defaultRole: string): Message | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (!isObject(raw)) return textMessage(defaultRole, typeof raw === 'string' ? raw : JSON.stringify(raw));
  if (isChoice(raw)) return normaliseChoice(raw, defaultRole);

  const role = readString(raw.role) ?? defaultRole;
  const message: Message = { role, parts: messageParts(raw, role) };
  const name = readString(raw.name);
  if (name !== undefined) message.name = name;
  const finishReason = readString(raw.finish_reason);
  if (finishReason !== undefined) message.finish_reason = finishReason;
  return message;
}

/** `gen_ai.system_instructions` (a JSON array of parts, or text) as one leading `system` message. */
export function systemMessage(instructions: unknown): Message | undefined {
  const parsed = typeof instructions === 'string' ? parseJson(instructions) : instructions;
  const parts = partsFromContent(typeof parsed === 'object' && parsed !== null ? parsed : instructions);
  return parts.length > 0 ? { role: 'system', parts } : undefined;
}

function messageParts(raw: Record<string, unknown>, role: string): MessagePart[] {
  if (Array.isArray(raw.parts)) return partsFromContent(raw.parts);
  // A tool result: OpenAI `tool_call_id`; the 1.28-1.36 `gen_ai.tool.message` event body uses `id`.
  const toolCallId = raw.tool_call_id ?? (role === 'tool' ? raw.id : undefined);
  if (toolCallId !== undefined) return [toolResponsePart(toolCallId, contentText(raw.content))];
  const parts = partsFromContent(raw.content);
  if (Array.isArray(raw.tool_calls)) {
    for (const call of raw.tool_calls) {
      const part = openAIToolCallPart(call);
      if (part) parts.push(part);
    }
  }
  if (isObject(raw.function_call)) parts.push(toolCallPart(undefined, raw.function_call.name, raw.function_call.arguments));
  return parts;
}

/** An OpenAI choice wraps the message; its finish_reason belongs on the message. */
function isChoice(raw: Record<string, unknown>): boolean {
  return isObject(raw.message) || (typeof raw.message === 'string' && raw.role === undefined && raw.content === undefined);
}

function normaliseChoice(raw: Record<string, unknown>, defaultRole: string): Message | undefined {
  const inner = typeof raw.message === 'string' ? parseJson(raw.message) ?? raw.message : raw.message;
  const message = normaliseMessage(inner, defaultRole);
  const finishReason = readString(raw.finish_reason);
  if (message && finishReason !== undefined && message.finish_reason === undefined) message.finish_reason = finishReason;
  return message;
}

/**
 * A free-form input or output (Langfuse `observation.input`, any JSON an SDK recorded) as messages:
 * chat messages when the value is (or wraps, as `{messages}` or `{choices}`) messages with a role,
 * else one `role` message holding the value as text (structured values as their JSON), so tool
 * arguments or a retriever's query are shown as they were sent instead of being guessed into parts.
 */
export function payloadMessages(value: unknown, role: string): Message[] | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') {
    const parsed = parseJson(value);
    return typeof parsed === 'object' && parsed !== null ? payloadMessages(parsed, role) : [textMessage(role, value)];
  }
  const wrapped = isObject(value) ? (Array.isArray(value.choices) ? value.choices : value.messages) : undefined;
  const candidate = Array.isArray(wrapped) ? wrapped : value;
  if (isMessageList(candidate)) return messagesFrom(candidate, role);
  return [textMessage(role, JSON.stringify(value))];
}

/** Objects that carry a role (or wrap a message, as OpenAI choices do), alone or as a non-empty list. */
function isMessageList(value: unknown): boolean {
  const items = Array.isArray(value) ? value : [value];
  return items.length > 0 && items.every((item) => isObject(item) && (typeof item.role === 'string' || isObject(item.message)));
}
