/** `messages.create(params, options)` -> a traced call plan (operation `chat`, provider `anthropic`). */
import { serverAttributes } from '../core/attributes.ts';
import { num, objects, str } from '../core/json.ts';
import { chatSpec, requestBody, toolDefinition, type CallEnv } from '../core/request.ts';
import type { CallPlan } from '../core/traced-call.ts';
import type { InstrumentationOptions } from '../options.ts';
import { anthropicMessages, systemParts } from './content-blocks.ts';
import { messageAttributes } from './message-response.ts';
import { AnthropicStreamRecorder } from './stream-recorder.ts';

export function anthropicEnv(client: object, options: InstrumentationOptions): CallEnv {
  return {
    provider: 'anthropic',
    server: serverAttributes((client as { baseURL?: unknown }).baseURL),
    captureContent: options.captureContent !== false,
  };
}

export function planMessages(args: unknown[], env: CallEnv): CallPlan {
  const params = requestBody(args);
  const input = () => ({ system: systemParts(params.system), messages: anthropicMessages(params.messages) });
  return {
    spec: chatSpec(env, params, num(params.max_tokens), anthropicToolDefinitions(params.tools), input),
    args,
    response: (data) => messageAttributes(data, env.captureContent),
    stream: () => new AnthropicStreamRecorder(env.captureContent),
  };
}

/** Client tools `{name, description, input_schema}` as functions; server tools (web search, ...) by type and name. */
function anthropicToolDefinitions(tools: unknown): unknown[] {
  return objects(tools).map((tool) => {
    const type = str(tool.type);
    if (type === undefined || type === 'custom') return toolDefinition('function', tool.name, tool.description, tool.input_schema);
    return { type, ...(str(tool.name) ? { name: tool.name } : {}) };
  });
}
