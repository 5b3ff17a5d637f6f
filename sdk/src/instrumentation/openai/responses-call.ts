/**
 * `responses.create(params, options)` -> a traced call plan. The operation is `chat`: a Responses
 * call is one conversational model turn, which is what OTel's `chat` means (`generate_content` is
 * for multimodal-generation APIs such as Gemini's).
 */
import { isObject, num, str } from '../core/json.ts';
import { chatRequestAttributes } from '../core/request.ts';
import type { CallPlan } from '../core/traced-call.ts';
import type { OpenAIEnv } from './environment.ts';
import { responsesInput } from './responses-items.ts';
import { responseAttributes } from './responses-response.ts';
import { ResponsesStreamRecorder } from './responses-stream-recorder.ts';
import { openAIToolDefinitions } from './tool-definitions.ts';

export function planResponses(args: unknown[], env: OpenAIEnv): CallPlan {
  const params = isObject(args[0]) ? args[0] : {};
  const model = str(params.model);
  const input = env.captureContent ? responsesInput(params) : { system: [], messages: [] };
  return {
    spec: {
      operation: 'chat',
      model,
      attributes: chatRequestAttributes(
        env,
        {
          model,
          maxTokens: num(params.max_output_tokens),
          temperature: num(params.temperature),
          topP: num(params.top_p),
          stream: params.stream === true,
        },
        openAIToolDefinitions(params.tools),
        input.system,
        input.messages,
      ),
    },
    args,
    response: (data) => responseAttributes(data, env.captureContent),
    stream: () => new ResponsesStreamRecorder(env.captureContent),
  };
}
