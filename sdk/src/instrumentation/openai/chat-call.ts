/** `chat.completions.create(params, options)` -> a traced call plan. */
import { num } from '../core/json.ts';
import { chatSpec, requestBody } from '../core/request.ts';
import type { CallPlan } from '../core/traced-call.ts';
import { chatInput } from './chat-messages.ts';
import { chatCompletionAttributes } from './chat-response.ts';
import { ChatStreamRecorder } from './chat-stream-recorder.ts';
import type { OpenAIEnv } from './environment.ts';
import { openAIToolDefinitions } from './tool-definitions.ts';

export function planChat(args: unknown[], env: OpenAIEnv): CallPlan {
  const params = requestBody(args);
  // Only when the app chose nothing: an explicit `stream_options` is the app's decision.
  const requestUsage = params.stream === true && env.streamUsage && params.stream_options == null;
  const maxTokens = num(params.max_completion_tokens) ?? num(params.max_tokens);
  return {
    spec: chatSpec(env, params, maxTokens, openAIToolDefinitions(params.tools), () => chatInput(params.messages)),
    // A copy: the app's params object is never modified.
    args: requestUsage ? [{ ...params, stream_options: { include_usage: true } }, ...args.slice(1)] : args,
    response: (data) => chatCompletionAttributes(data, env.captureContent),
    stream: () => new ChatStreamRecorder(env.captureContent, requestUsage),
  };
}
