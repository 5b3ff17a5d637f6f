/**
 * OpenLLMetry's message attributes:
 * - LLM spans flatten messages as `gen_ai.prompt.<i>.{role, content, tool_call_id,
 *   tool_calls.<j>.{id, name, arguments}}` and `gen_ai.completion.<i>.{role, content, finish_reason,
 *   tool_calls.<j>.*, function_call.*}` (the "legacy attributes" mode, still the Python default);
 * - workflow/task/agent/tool spans of the Traceloop SDK record the function's arguments and return
 *   value as JSON in `traceloop.entity.input` / `traceloop.entity.output`.
 * Each is reshaped into the OpenAI form the shared normaliser (messages.ts) reads.
 */
import type { Message } from '../../events/canonical-event.ts';
import type { Attributes } from '../../otlp/span.ts';
import { firstOf, isObject, parseJson, readJson, readString, unflatten } from '../attribute-readers.ts';
import { toolCallPart, toolResponsePart } from '../message-parts.ts';
import { NO_MESSAGES, normaliseMessage, payloadMessages, type MessagesFound } from '../messages.ts';

type Json = Record<string, unknown>;

/** `gen_ai.prompt.<i>.*` as input messages. */
export function promptMessages(a: Attributes): MessagesFound {
  return flattenedList(a, 'gen_ai.prompt', (p) => normaliseMessage({
    role: p.role,
    content: decodeContent(p.content ?? p.user), // Anthropic's completions API: `gen_ai.prompt.0.user`
    tool_call_id: p.tool_call_id,
    tool_calls: p.tool_calls, // items `{id, name, arguments}`: read like OpenAI tool calls without `function`
  }, 'user'));
}

/** `gen_ai.completion.<i>.*` as output messages. */
export function completionMessages(a: Attributes): MessagesFound {
  return flattenedList(a, 'gen_ai.completion', (c) => {
    // Anthropic extended thinking is recorded as its own completion with role `thinking` (and the
    // response's finish reason, which the instrumentation writes to index 0 before it knows).
    if (c.role === 'thinking') {
      const message: Message = { role: 'assistant', parts: [{ type: 'reasoning', content: readString(c.content) ?? '' }] };
      const finishReason = readString(c.finish_reason);
      return finishReason === undefined ? message : { ...message, finish_reason: finishReason };
    }
    return normaliseMessage({
      role: c.role,
      content: decodeContent(c.content),
      tool_calls: c.tool_calls,
      function_call: c.function_call,
      finish_reason: c.finish_reason,
    }, 'assistant');
  });
}

/**
 * `traceloop.entity.input` / `.output` of a workflow, task or agent span: chat payloads become
 * messages, any other value one text message (see payloadMessages).
 */
export function entityMessages(a: Attributes, side: 'input' | 'output'): MessagesFound {
  const found = entityValue(a, side);
  const messages = found && payloadMessages(found.value, side === 'input' ? 'user' : 'assistant');
  return found && messages ? { messages, keys: [found.key] } : NO_MESSAGES;
}

/**
 * A tool span's entity input is the call (the tool's arguments), its output the tool's result: the
 * same shape otel-genai gives `execute_tool`.
 */
export function entityToolMessages(a: Attributes, side: 'input' | 'output', toolName: string | undefined): MessagesFound {
  const found = entityValue(a, side);
  if (!found) return NO_MESSAGES;
  const message: Message = side === 'input'
    ? { role: 'assistant', parts: [toolCallPart(undefined, toolName, found.value)] }
    : { role: 'tool', parts: [toolResponsePart(undefined, found.value)] };
  return { messages: [message], keys: [found.key] };
}

function flattenedList(a: Attributes, prefix: string, toMessage: (item: Json) => Message | undefined): MessagesFound {
  const list = unflatten(a, prefix);
  if (!list || !Array.isArray(list.value)) return NO_MESSAGES;
  const messages = list.value.map((item) => (isObject(item) ? toMessage(item) : undefined)).filter((m): m is Message => m !== undefined);
  return messages.length > 0 ? { messages, keys: list.keys } : NO_MESSAGES;
}

/**
 * List content (OpenAI parts, Anthropic blocks) arrives JSON-encoded because attributes cannot hold
 * objects. Only an array of typed parts is decoded: text a user typed that looks like JSON stays text.
 */
function decodeContent(content: unknown): unknown {
  if (typeof content !== 'string' || !content.trimStart().startsWith('[')) return content;
  const parsed = parseJson(content);
  const typedParts = Array.isArray(parsed) && parsed.length > 0 && parsed.every((p) => isObject(p) && typeof p.type === 'string');
  return typedParts ? parsed : content;
}

/** The entity value with the Traceloop wrapper removed; undefined when absent or empty. */
function entityValue(a: Attributes, side: 'input' | 'output'): { value: unknown; key: string } | undefined {
  const found = firstOf(a, [`traceloop.entity.${side}`], readJson);
  if (!found) return undefined;
  const value = unwrap(found.value, side);
  return value === undefined ? undefined : { value, key: found.key };
}

/**
 * The Traceloop SDK records arguments as `{args: [...], kwargs: {...}}`; its LangChain
 * instrumentation wraps them as `{inputs, tags, metadata, kwargs}` / `{outputs, kwargs}`. The
 * payload is what the user passed: kwargs alone, a single positional argument, or both as recorded.
 */
function unwrap(value: unknown, side: 'input' | 'output'): unknown {
  if (!isObject(value)) return value;
  const wrapped = side === 'input' ? 'inputs' : 'outputs';
  if (wrapped in value) return value[wrapped];
  if (side === 'output' || !('args' in value) || !('kwargs' in value)) return value;
  const args = Array.isArray(value.args) ? value.args : [];
  const kwargs = isObject(value.kwargs) ? value.kwargs : {};
  const hasKwargs = Object.keys(kwargs).length > 0;
  if (args.length === 0) return hasKwargs ? kwargs : undefined; // a function without arguments
  if (!hasKwargs) return args.length === 1 ? args[0] : args;
  return value;
}
