/** `messages.create(params, options)` -> a traced call plan (operation `chat`, provider `anthropic`). */
import { serverAttributes } from '../core/attributes.ts';
import { isObject, num, objects, str } from '../core/json.ts';
import { chatRequestAttributes, toolDefinition, type CallEnv } from '../core/request.ts';
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
  const params = isObject(args[0]) ? args[0] : {};
  const model = str(params.model);
  const system = env.captureContent ? systemParts(params.system) : [];
  const messages = env.captureContent ? anthropicMessages(params.messages) : [];
  return {
    spec: {
      operation: 'chat',
      model,
      attributes: chatRequestAttributes(
        env,
        {
          model,
          maxTokens: num(params.max_tokens),
          temperature: num(params.temperature),
          topP: num(params.top_p),
          stream: params.stream === true,
        },
        anthropicToolDefinitions(params.tools),
        system,
        messages,
      ),
    },
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
