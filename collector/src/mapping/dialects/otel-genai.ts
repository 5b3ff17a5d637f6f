/**
 * OTel GenAI semantic conventions, current generation (>= 1.37: `gen_ai.provider.name`,
 * `gen_ai.input.messages`, `gen_ai.usage.cache_read.input_tokens`, ...).
 * Spec: https://github.com/open-telemetry/semantic-conventions/tree/main/docs/gen-ai
 */
import type { EventType, Message } from '../../events/canonical-event.ts';
import type { Attributes, DecodedSpan } from '../../otlp/span.ts';
import { firstOf, hasKeyWithPrefix, readCount, readJson, readNumber, readString, readStringList } from '../attribute-readers.ts';
import { ResultBuilder, type Dialect, type DialectResult } from '../dialect.ts';
import { toolCallPart, toolResponsePart } from '../message-parts.ts';
import { finishReasonOf, messagesFrom, NO_MESSAGES, systemMessage, type MessagesFound } from '../messages.ts';
import { otelProviderName } from '../provider-name.ts';

/** `gen_ai.operation.name` -> canonical type; unknown operations leave the type to later dialects. */
const OPERATION_TYPES = new Map<string, EventType>([
  ['chat', 'llm'],
  ['text_completion', 'llm'],
  ['generate_content', 'llm'],
  ['embeddings', 'embedding'],
  ['execute_tool', 'tool'],
  ['invoke_agent', 'agent'],
  ['create_agent', 'agent'],
  ['invoke_workflow', 'chain'],
  ['retrieval', 'retrieval'],
]);

export const otelGenAi: Dialect = {
  name: 'otel-genai',

  // The model, operation and response keys are shared with older generations, so any gen_ai.* key qualifies.
  matches: (span) => hasKeyWithPrefix(span.attributes, 'gen_ai.'),

  extract(span: DecodedSpan): DialectResult {
    const a = span.attributes;
    const out = new ResultBuilder();
    out.take('model', firstOf(a, ['gen_ai.response.model', 'gen_ai.request.model'], readString));
    const provider = firstOf(a, ['gen_ai.provider.name'], readString);
    if (provider) out.set('provider', otelProviderName(provider.value), [provider.key]);
    const operation = firstOf(a, ['gen_ai.operation.name'], readString);
    out.take('operation_name', operation);
    if (operation) out.set('type', OPERATION_TYPES.get(operation.value));

    // input_tokens already includes cache reads (spec); output_tokens already includes reasoning.
    out.take('input_tokens', firstOf(a, ['gen_ai.usage.input_tokens'], readCount));
    out.take('output_tokens', firstOf(a, ['gen_ai.usage.output_tokens'], readCount));
    out.take('cache_read_tokens', firstOf(a, ['gen_ai.usage.cache_read.input_tokens'], readCount));
    out.take('cache_write_tokens', firstOf(a, ['gen_ai.usage.cache_creation.input_tokens'], readCount));
    out.take('reasoning_tokens', firstOf(a, ['gen_ai.usage.reasoning.output_tokens'], readCount));

    // Not in the semconv registry, but emitted by gateways and proxies (LiteLLM, OpenRouter clients) in USD.
    const cost = firstOf(a, ['gen_ai.usage.cost'], readNumber);
    if (cost && cost.value >= 0) {
      out.set('cost_usd', cost.value, [cost.key]);
      out.set('cost_source', 'reported');
    }

    const ttfc = firstOf(a, ['gen_ai.response.time_to_first_chunk'], readNumber);
    if (ttfc) out.set('time_to_first_token_ms', Math.round(ttfc.value * 1e6) / 1e3, [ttfc.key]); // seconds -> ms

    out.take('tool_name', firstOf(a, ['gen_ai.tool.name'], readString));
    out.take('conversation_id', firstOf(a, ['gen_ai.conversation.id'], readString));

    const input = inputMessages(a);
    out.set('input', input.messages, input.keys);
    const output = outputMessages(a);
    out.set('output', output.messages, output.keys);

    const reasons = firstOf(a, ['gen_ai.response.finish_reasons'], readStringList);
    if (reasons) out.set('finish_reason', reasons.value[0], [reasons.key]);
    else out.set('finish_reason', finishReasonOf(output.messages));
    return out.result;
  },
};

/** System instructions travel separately from the chat history; the canonical input puts them first. */
function inputMessages(a: Attributes): MessagesFound {
  const keys: string[] = [];
  const messages: Message[] = [];
  const instructions = firstOf(a, ['gen_ai.system_instructions'], readJson);
  const system = instructions && systemMessage(instructions.value);
  if (instructions && system) {
    messages.push(system);
    keys.push(instructions.key);
  }
  const history = firstOf(a, ['gen_ai.input.messages'], readJson);
  const chat = history && messagesFrom(history.value, 'user');
  if (history && chat) {
    messages.push(...chat);
    keys.push(history.key);
  }
  if (messages.length === 0) return toolCall(a);
  return { messages, keys };
}

function outputMessages(a: Attributes): MessagesFound {
  const found = firstOf(a, ['gen_ai.output.messages'], readJson);
  const messages = found && messagesFrom(found.value, 'assistant');
  if (found && messages) return { messages, keys: [found.key] };
  return toolResult(a);
}

/** An execute_tool span's input is the call the model asked for (`gen_ai.tool.call.arguments`). */
function toolCall(a: Attributes): MessagesFound {
  const args = firstOf(a, ['gen_ai.tool.call.arguments'], readJson);
  if (!args) return NO_MESSAGES;
  const part = toolCallPart(readString(a['gen_ai.tool.call.id']), readString(a['gen_ai.tool.name']), args.value);
  return { messages: [{ role: 'assistant', parts: [part] }], keys: [args.key] };
}

/** ... and its output is what the tool returned (`gen_ai.tool.call.result`). */
function toolResult(a: Attributes): MessagesFound {
  const result = firstOf(a, ['gen_ai.tool.call.result'], readJson);
  if (!result) return NO_MESSAGES;
  const part = toolResponsePart(readString(a['gen_ai.tool.call.id']), result.value);
  return { messages: [{ role: 'tool', parts: [part] }], keys: [result.key] };
}
