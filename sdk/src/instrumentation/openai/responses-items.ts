/**
 * Responses API items -> OTel messages. Input is a string or a list of items: messages, and the
 * tool calls / tool outputs / reasoning of earlier turns. Output is a list of items that together
 * make one assistant turn, so it becomes one assistant message.
 *
 * `instructions` and leading system/developer messages become `gen_ai.system_instructions`.
 */
import { isObject, objects, parseArguments, str, type Json } from '../core/json.ts';
import { appendParts, reasoningPart, textPart, toolCallPart, toolResponsePart, type ChatInput, type Message, type Part } from '../core/parts.ts';
import { responsesContentParts } from './responses-content.ts';

export function responsesInput(params: Json): ChatInput {
  const system: Part[] = [];
  const messages: Message[] = [];
  if (str(params.instructions)) system.push(textPart(params.instructions as string));
  if (typeof params.input === 'string') return { system, messages: [{ role: 'user', parts: [textPart(params.input)] }] };
  for (const item of objects(params.input)) {
    const type = str(item.type) ?? 'message'; // "easy" input messages have no type
    if (type === 'message') {
      const role = str(item.role) ?? 'user';
      const parts = responsesContentParts(item.content);
      if (messages.length === 0 && (role === 'system' || role === 'developer')) system.push(...parts);
      else messages.push({ role, parts });
    } else if (type.endsWith('_output')) {
      appendParts(messages, 'tool', [toolResponsePart(str(item.call_id) ?? str(item.id), item.output)]);
    } else if (type !== 'item_reference') {
      appendParts(messages, 'assistant', itemParts(item));
    }
  }
  return { system, messages };
}

export function responseOutputMessage(response: Json): Message {
  const parts = objects(response.output).flatMap(itemParts);
  const message: Message = { role: 'assistant', parts };
  const finish = responseFinishReason(response, parts);
  if (finish !== undefined) message.finish_reason = finish;
  return message;
}

/**
 * The Responses API has no finish reason, only a status; this maps it to the OTel values
 * (`stop`, `tool_call`, `length`, `content_filter`, `error`). Undefined while unfinished.
 */
function responseFinishReason(response: Json, parts: Part[]): string | undefined {
  switch (response.status) {
    case 'completed':
      return parts.some((p) => p.type === 'tool_call') ? 'tool_call' : 'stop';
    case 'incomplete': {
      const reason = isObject(response.incomplete_details) ? str(response.incomplete_details.reason) : undefined;
      return reason === 'content_filter' ? 'content_filter' : 'length';
    }
    case 'failed':
      return 'error';
    default:
      return undefined;
  }
}

/** Parts of one output (or replayed input) item. */
function itemParts(item: Json): Part[] {
  switch (item.type) {
    case 'message':
      return responsesContentParts(item.content);
    case 'function_call':
      return [toolCallPart(str(item.call_id), str(item.name), parseArguments(str(item.arguments) ?? ''))];
    case 'custom_tool_call':
      return [toolCallPart(str(item.call_id), str(item.name), item.input)];
    case 'reasoning': {
      const texts = [...objects(item.summary), ...objects(item.content)].map((s) => str(s.text)).filter(Boolean);
      return texts.length > 0 ? [reasoningPart(texts.join('\n'))] : [];
    }
    default:
      // Built-in tool calls (web_search_call, file_search_call, ...): which tool ran, not its payload.
      return typeof item.type === 'string' && item.type.endsWith('_call') ? [toolCallPart(str(item.id), item.type, undefined)] : [];
  }
}
