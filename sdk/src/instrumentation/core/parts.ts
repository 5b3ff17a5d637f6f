/**
 * OTel GenAI message shapes (`gen_ai.input.messages` / `gen_ai.output.messages`):
 * `[{role, parts: [{type, ...}], name?, finish_reason?}]`. Builders shared by the providers.
 */
import { objects, type Json } from './json.ts';

export type Part = { type: string } & Record<string, unknown>;

export interface Message {
  role: string;
  parts: Part[];
  name?: string;
  finish_reason?: string;
}

/** A request's prompt: `gen_ai.system_instructions` parts and `gen_ai.input.messages`. */
export interface ChatInput {
  system: Part[];
  messages: Message[];
}

/** A content field that is either plain text or a list of parts, each converted by `convert`. */
export function textOrParts(content: unknown, convert: (part: Json) => Part): Part[] {
  if (typeof content === 'string') return content === '' ? [] : [textPart(content)];
  return objects(content).map(convert);
}

export function textPart(content: string): Part {
  return { type: 'text', content };
}

export function reasoningPart(content: string): Part {
  return { type: 'reasoning', content };
}

export function toolCallPart(id: string | undefined, name: string | undefined, args: unknown): Part {
  return { type: 'tool_call', ...(id !== undefined ? { id } : {}), name: name ?? '', arguments: args };
}

export function toolResponsePart(id: string | undefined, response: unknown): Part {
  return { type: 'tool_call_response', ...(id !== undefined ? { id } : {}), response };
}

/** Appends `parts` to the last message when it has the same role, else starts a new message. */
export function appendParts(messages: Message[], role: string, parts: Part[]): void {
  if (parts.length === 0) return;
  const last = messages.at(-1);
  if (last && last.role === role && last.finish_reason === undefined && last.name === undefined) last.parts.push(...parts);
  else messages.push({ role, parts });
}
