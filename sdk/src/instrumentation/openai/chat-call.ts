/** `chat.completions.create(params, options)` -> a traced call plan. */
import { isObject, num, str } from '../core/json.ts';
import { chatRequestAttributes } from '../core/request.ts';
import type { CallPlan } from '../core/traced-call.ts';
import { chatInput } from './chat-messages.ts';
import { chatCompletionAttributes } from './chat-response.ts';
import { ChatStreamRecorder } from './chat-stream-recorder.ts';
import type { OpenAIEnv } from './environment.ts';
import { openAIToolDefinitions } from './tool-definitions.ts';

export function planChat(args: unknown[], env: OpenAIEnv): CallPlan {
  const params = isObject(args[0]) ? args[0] : {};
  const model = str(params.model);
  const stream = params.stream === true;
  // Only when the app chose nothing: an explicit `stream_options` is the app's decision.
  const requestUsage = stream && env.streamUsage && params.stream_options == null;
  const input = env.captureContent ? chatInput(params.messages) : { system: [], messages: [] };
  return {
    spec: {
      operation: 'chat',
      model,
      attributes: chatRequestAttributes(
        env,
        {
          model,
          maxTokens: num(params.max_completion_tokens) ?? num(params.max_tokens),
          temperature: num(params.temperature),
          topP: num(params.top_p),
          stream,
        },
        openAIToolDefinitions(params.tools),
        input.system,
        input.messages,
      ),
    },
    // A copy: the app's params object is never modified.
    args: requestUsage ? [{ ...params, stream_options: { include_usage: true } }, ...args.slice(1)] : args,
    response: (data) => chatCompletionAttributes(data, env.captureContent),
    stream: () => new ChatStreamRecorder(env.captureContent, requestUsage),
  };
}
