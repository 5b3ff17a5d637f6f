/**
 * Messages in the OTel GenAI `{role, parts}` shape (gen_ai.input.messages / gen_ai.output.messages,
 * https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-input-messages.json), from a plain string,
 * messages already in that shape, or OpenAI-style `{role, content, tool_calls}` messages.
 */
import type { GenerationMessage } from './types.ts';

export interface GenAiPart {
  type: string;
  [key: string]: unknown;
}

export interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  finish_reason?: string;
}

/** `value` as OTel GenAI messages; a string becomes one text message from `role`. */
export function toGenAiMessages(value: string | ReadonlyArray<GenerationMessage>, role: string): GenAiMessage[] {
  if (typeof value === 'string') return [{ role, parts: [{ type: 'text', content: value }] }];
  return value.map(toGenAiMessage);
}

interface OpenAiToolCall {
  id?: string;
  function?: { name?: string; arguments?: unknown };
}

function toGenAiMessage(message: GenerationMessage): GenAiMessage {
  if (Array.isArray(message.parts)) return { ...message, parts: message.parts as GenAiPart[] } as GenAiMessage;
  const parts: GenAiPart[] = [];
  if (typeof message.content === 'string') {
    parts.push(message.role === 'tool' ? { type: 'tool_call_response', id: message.tool_call_id, response: message.content } : { type: 'text', content: message.content });
  } else if (Array.isArray(message.content)) {
    for (const item of message.content) parts.push(contentPart(item));
  }
  for (const call of Array.isArray(message.tool_calls) ? (message.tool_calls as OpenAiToolCall[]) : []) {
    parts.push({ type: 'tool_call', id: call.id, name: call.function?.name, arguments: parseArguments(call.function?.arguments) });
  }
  const result: GenAiMessage = { role: message.role, parts };
  if (typeof message.finish_reason === 'string') result.finish_reason = message.finish_reason;
  return result;
}

/** An OpenAI content part: `{type:'text', text}` becomes a text part; others are kept as they are. */
function contentPart(item: Readonly<Record<string, unknown>>): GenAiPart {
  if (item.type === 'text' && typeof item.text === 'string') return { type: 'text', content: item.text };
  return { ...item, type: typeof item.type === 'string' ? item.type : 'unknown' };
}

function parseArguments(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
