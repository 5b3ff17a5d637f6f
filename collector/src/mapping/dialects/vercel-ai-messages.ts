/**
 * Input and output messages of Vercel AI SDK spans:
 * - provider calls (`*.doGenerate`, `*.doStream`): `ai.prompt.messages`, the provider-level prompt
 *   (system message included) as JSON;
 * - outer calls (`ai.generateText`, ...): `ai.prompt`, JSON `{system, prompt, messages}` as the app passed it;
 * - outputs: `ai.response.{reasoning, text, object, toolCalls, files}` plus `ai.response.finishReason`;
 * - tool calls: `ai.toolCall.args` / `ai.toolCall.result` (JSON; still named so in v6);
 * - embeddings: `ai.values` (array of JSON strings) or `ai.value` (one JSON string).
 * Source: vercel/ai packages/ai/src/generate-text/stream-text.ts, telemetry/stringify-for-telemetry.ts.
 */
import type { Message, MessagePart } from '../../events/canonical-event.ts';
import type { Attributes } from '../../otlp/span.ts';
import { firstOf, isObject, parseJson, readJson, readString } from '../attribute-readers.ts';
import { partsFromContent, textPart, toolCallPart, toolResponsePart } from '../message-parts.ts';
import { messagesFrom, NO_MESSAGES, textMessage, type MessagesFound } from '../messages.ts';

export function vercelInput(a: Attributes): MessagesFound {
  const providerPrompt = firstOf(a, ['ai.prompt.messages'], readJson);
  const messages = providerPrompt && messagesFrom(unwrapToolOutputs(providerPrompt.value), 'user');
  if (providerPrompt && messages) return { messages, keys: [providerPrompt.key] };
  const prompt = firstOf(a, ['ai.prompt'], readJson);
  if (prompt) return found(callPrompt(prompt.value), [prompt.key]);
  const args = firstOf(a, ['ai.toolCall.args'], readJson);
  if (args) return found([{ role: 'assistant', parts: [toolCallPart(a['ai.toolCall.id'], a['ai.toolCall.name'], args.value)] }], [args.key]);
  return embeddingValues(a);
}

export function vercelOutput(a: Attributes): MessagesFound {
  const result = firstOf(a, ['ai.toolCall.result'], readJson);
  if (result) return found([{ role: 'tool', parts: [toolResponsePart(a['ai.toolCall.id'], result.value)] }], [result.key]);

  const parts: MessagePart[] = [];
  const keys: string[] = [];
  const reasoning = firstOf(a, ['ai.response.reasoning'], readString);
  if (reasoning) parts.push({ type: 'reasoning', content: reasoning.value });
  // Objects stay the JSON text the model wrote; ai.response.text is absent on object calls.
  const text = firstOf(a, ['ai.response.text', 'ai.response.object'], readString);
  if (text) parts.push(textPart(text.value));
  const calls = firstOf(a, ['ai.response.toolCalls'], readJson);
  if (calls && Array.isArray(calls.value)) parts.push(...calls.value.filter(isObject).map(responseToolCall));
  const files = firstOf(a, ['ai.response.files'], readJson);
  if (files) parts.push(...partsFromContent(files.value));
  for (const item of [reasoning, text, calls, files]) if (item) keys.push(item.key);
  if (parts.length === 0) return NO_MESSAGES;
  // A step that only called tools reports `ai.response.text: ""`: said by the message, not worth keeping.
  if (!text && a['ai.response.text'] === '') keys.push('ai.response.text');

  const message: Message = { role: 'assistant', parts };
  const finishReason = readString(a['ai.response.finishReason']);
  if (finishReason !== undefined) message.finish_reason = finishReason;
  return { messages: [message], keys };
}

/** v5+ `{toolCallId, toolName, input}`; v4 `{toolCallType, toolCallId, toolName, args}` with JSON-encoded args. */
function responseToolCall(call: Record<string, unknown>): MessagePart {
  return toolCallPart(call.toolCallId, call.toolName, call.input ?? call.args);
}

/** `ai.prompt` of an outer call: `{system, prompt, messages}` (prompt is text or, since v5, messages). */
function callPrompt(value: unknown): Message[] | null {
  if (!isObject(value) || !('system' in value || 'prompt' in value || 'messages' in value)) return messagesFrom(value, 'user');
  const messages: Message[] = [];
  const { system, prompt } = value;
  if (typeof system === 'string' && system !== '') messages.push(textMessage('system', system));
  else messages.push(...(messagesFrom(system, 'system') ?? [])); // v6 also accepts system messages
  if (typeof prompt === 'string' && prompt !== '') messages.push(textMessage('user', prompt));
  else messages.push(...(messagesFrom(unwrapToolOutputs(prompt), 'user') ?? []));
  messages.push(...(messagesFrom(unwrapToolOutputs(value.messages), 'user') ?? []));
  return messages;
}

/** The texts sent to an embedding model, one text part each. */
function embeddingValues(a: Attributes): MessagesFound {
  const many = a['ai.values'];
  if (Array.isArray(many)) return found([{ role: 'user', parts: many.map(embeddingText) }], ['ai.values']);
  const one = firstOf(a, ['ai.value'], readString);
  return one ? found([{ role: 'user', parts: [embeddingText(one.value)] }], [one.key]) : NO_MESSAGES;
}

/** Each value is JSON-encoded by the SDK (`"sunny day"`); non-text values stay as their JSON. */
function embeddingText(value: unknown): MessagePart {
  const parsed = typeof value === 'string' ? parseJson(value) ?? value : value;
  return textPart(typeof parsed === 'string' ? parsed : JSON.stringify(parsed));
}

/**
 * v5+ tool results carry `output: {type: 'text' | 'json' | 'error-text' | 'error-json' | 'content', value}`;
 * the canonical `tool_call_response` holds what the tool returned, so the wrapper is removed.
 */
function unwrapToolOutputs(messages: unknown): unknown {
  if (!Array.isArray(messages)) return messages;
  return messages.map((message) => (isObject(message) && Array.isArray(message.content)
    ? { ...message, content: message.content.map(unwrapToolOutput) }
    : message));
}

function unwrapToolOutput(part: unknown): unknown {
  if (!isObject(part) || part.type !== 'tool-result' || !isObject(part.output)) return part;
  const { output } = part;
  return typeof output.type === 'string' && 'value' in output ? { ...part, output: output.value } : part;
}

function found(messages: Message[] | null, keys: string[]): MessagesFound {
  return messages && messages.length > 0 ? { messages, keys } : NO_MESSAGES;
}
