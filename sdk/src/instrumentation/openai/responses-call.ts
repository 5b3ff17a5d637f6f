/**
 * `responses.create(params, options)` -> a traced call plan. The operation is `chat`: a Responses
 * call is one conversational model turn, which is what OTel's `chat` means (`generate_content` is
 * for multimodal-generation APIs such as Gemini's).
 */
import { num } from '../core/json.ts';
import { chatSpec, requestBody } from '../core/request.ts';
import type { CallPlan } from '../core/traced-call.ts';
import type { OpenAIEnv } from './environment.ts';
import { responsesInput } from './responses-items.ts';
import { responseAttributes } from './responses-response.ts';
import { ResponsesStreamRecorder } from './responses-stream-recorder.ts';
import { openAIToolDefinitions } from './tool-definitions.ts';

export function planResponses(args: unknown[], env: OpenAIEnv): CallPlan {
  const params = requestBody(args);
  return {
    spec: chatSpec(env, params, num(params.max_output_tokens), openAIToolDefinitions(params.tools), () => responsesInput(params)),
    args,
    response: (data) => responseAttributes(data, env.captureContent),
    stream: () => new ResponsesStreamRecorder(env.captureContent),
  };
}
