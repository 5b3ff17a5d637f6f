/**
 * `wrapOpenAI(client)`: the same client, traced. A Proxy presents `chat.completions`, `responses`
 * and `embeddings` with a traced `create`; everything else reaches the real client. Neither the
 * client nor any global is modified, so the original object stays untraced.
 *
 * Inside the wrapped resources, `_client` reads as the wrapped client: the SDK's helpers
 * (`chat.completions.stream()`, `runTools()`, `responses.stream()`) call
 * `this._client.chat.completions.create()`, and that way they are traced too.
 */
import { overlay, isOverlay } from '../core/client-proxy.ts';
import type { CallPlan } from '../core/traced-call.ts';
import { rewrappingWithOptions, tracedResource } from '../core/traced-resource.ts';
import type { OpenAIInstrumentationOptions } from '../options.ts';
import { planChat } from './chat-call.ts';
import { planEmbeddings } from './embeddings-call.ts';
import { openAIEnv, type OpenAIEnv } from './environment.ts';
import { planResponses } from './responses-call.ts';

type Planner = (args: unknown[], env: OpenAIEnv) => CallPlan;

export function wrapOpenAI<C extends object>(client: C, options: OpenAIInstrumentationOptions = {}): C {
  if (isOverlay(client)) return client; // already wrapped: one span per call
  try {
    return instrument(client, options);
  } catch {
    return client;
  }
}

function instrument<C extends object>(client: C, options: OpenAIInstrumentationOptions): C {
  const traced = (planner: Planner) => (resource: unknown) => tracedResource(resource, options, client, (args) => planner(args, openAIEnv(client, options)), () => wrapped);
  const wrapped: C = overlay(
    client,
    {
      chat: (chat) => overlay(chat as object, { completions: traced(planChat), _client: () => wrapped }, false),
      responses: traced(planResponses),
      embeddings: traced(planEmbeddings),
      // A copy with other options is a new client: wrap it the same way.
      withOptions: rewrappingWithOptions(client, (copy) => wrapOpenAI(copy, options)),
    },
    true,
  );
  return wrapped;
}
