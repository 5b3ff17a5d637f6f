/**
 * Chat Completions `messages` -> OTel GenAI `{role, parts}` messages.
 *
 * Leading system/developer messages become `gen_ai.system_instructions`. One that appears later in
 * the conversation stays in `gen_ai.input.messages`, where its position still means something.
 */
import { isObject, list, objects, parseArguments, str, type Json } from '../core/json.ts';
import { inputAudioPart, urlPart } from '../core/media.ts';
import { reasoningPart, textOrParts, textPart, toolCallPart, toolResponsePart, type ChatInput, type Message, type Part } from '../core/parts.ts';

export function chatInput(messages: unknown): ChatInput {
  const system: Part[] = [];
  const out: Message[] = [];
  for (const message of objects(messages)) {
    const role = str(message.role) ?? 'user';
    if (out.length === 0 && (role === 'system' || role === 'developer')) system.push(...contentParts(message.content));
    else out.push(chatMessage(message, role));
  }
  return { system, messages: out };
}

function chatMessage(message: Json, role: string): Message {
  if (role === 'tool' || role === 'function') {
    // `function` is the pre-tools result role: it names the function instead of a call id.
    const id = role === 'tool' ? str(message.tool_call_id) : undefined;
    return withName({ role: 'tool', parts: [toolResponsePart(id, contentText(message.content))] }, role === 'function' ? message.name : undefined);
  }
  const parts = role === 'assistant' ? assistantParts(message) : contentParts(message.content);
  return withName({ role, parts }, message.name);
}

/** Parts of an assistant message, in the request or in a response: reasoning, text, refusal, tool calls. */
export function assistantParts(message: Json): Part[] {
  const parts: Part[] = [];
  const reasoning = str(message.reasoning_content); // OpenAI-compatible servers (DeepSeek, vLLM) return it
  if (reasoning) parts.push(reasoningPart(reasoning));
  parts.push(...contentParts(message.content));
  if (str(message.refusal)) parts.push(textPart(message.refusal as string));
  for (const call of objects(message.tool_calls)) {
    const fn = isObject(call.function) ? call.function : isObject(call.custom) ? call.custom : {};
    const args = str(fn.arguments) ?? str(fn.input);
    parts.push(toolCallPart(str(call.id), str(fn.name), args === undefined ? {} : parseArguments(args)));
  }
  if (isObject(message.function_call)) {
    const fn = message.function_call;
    parts.push(toolCallPart(undefined, str(fn.name), parseArguments(str(fn.arguments) ?? '')));
  }
  return parts;
}

function contentParts(content: unknown): Part[] {
  return textOrParts(content, contentPart);
}

function contentPart(part: Json): Part {
  switch (part.type) {
    case 'text':
      return textPart(str(part.text) ?? '');
    case 'refusal':
      return textPart(str(part.refusal) ?? '');
    case 'image_url': {
      const url = isObject(part.image_url) ? str(part.image_url.url) : str(part.image_url);
      return url === undefined ? { type: 'image_url' } : urlPart(url, 'image');
    }
    case 'input_audio':
      return inputAudioPart(part.input_audio);
    case 'file': {
      const file = isObject(part.file) ? part.file : {};
      if (str(file.file_id)) return { type: 'file', file_id: file.file_id, ...(str(file.filename) ? { filename: file.filename } : {}) };
      return str(file.file_data) ? urlPart(file.file_data as string) : { type: 'file' };
    }
    default:
      // An unknown part keeps its type only: its payload may be anything, including media.
      return { type: str(part.type) ?? 'unknown' };
  }
}

/** A tool result's content: a string, or text parts joined. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return list(content)
    .map((part) => (isObject(part) ? (str(part.text) ?? '') : ''))
    .join('');
}

function withName(message: Message, name: unknown): Message {
  if (typeof name === 'string' && name !== '') message.name = name;
  return message;
}
