/** Request-side attributes every provider sets the same way. */
import type { Attributes } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { compact } from './attributes.ts';
import { isObject, num, str, toJson, type Json } from './json.ts';
import type { CallSpec } from './llm-call.ts';
import type { ChatInput } from './parts.ts';

/** What a call knows about its client, looked up at call time. */
export interface CallEnv {
  provider: string;
  /** server.address / server.port */
  server: Attributes;
  captureContent: boolean;
}

interface RequestParams {
  model?: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stream?: boolean;
}

/** The request body: the first argument of every `create(params, options)`. */
export function requestBody(args: unknown[]): Json {
  return isObject(args[0]) ? args[0] : {};
}

export function requestAttributes(env: CallEnv, p: RequestParams): Attributes {
  return compact({
    [GEN_AI.PROVIDER_NAME]: env.provider,
    ...env.server,
    [GEN_AI.REQUEST_MODEL]: p.model,
    [GEN_AI.REQUEST_MAX_TOKENS]: p.maxTokens,
    [GEN_AI.REQUEST_TEMPERATURE]: p.temperature,
    [GEN_AI.REQUEST_TOP_P]: p.topP,
    [GEN_AI.REQUEST_STREAM]: p.stream,
  });
}

/**
 * The span of a chat-style call (operation `chat`). `model`, `temperature`, `top_p` and `stream`
 * are named alike by every chat API; the rest is given as each API names it. `input` is only
 * read when content capture is on.
 */
export function chatSpec(env: CallEnv, params: Json, maxTokens: number | undefined, tools: unknown[], input: () => ChatInput): CallSpec {
  const model = str(params.model);
  return {
    operation: 'chat',
    model,
    attributes: {
      ...requestAttributes(env, { model, maxTokens, temperature: num(params.temperature), topP: num(params.top_p), stream: params.stream === true }),
      ...(tools.length > 0 ? { [GEN_AI.TOOL_DEFINITIONS]: toJson(tools) } : {}),
      ...(env.captureContent ? inputAttributes(input()) : {}),
    },
  };
}

/** Prompt attributes (callers check content capture). */
export function inputAttributes({ system, messages }: ChatInput): Attributes {
  const out: Attributes = {};
  if (system.length > 0) out[GEN_AI.SYSTEM_INSTRUCTIONS] = toJson(system);
  if (messages.length > 0) out[GEN_AI.INPUT_MESSAGES] = toJson(messages);
  return out;
}

/** One entry of `gen_ai.tool.definitions`. */
export function toolDefinition(type: string, name: unknown, description: unknown, parameters: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { type, name: typeof name === 'string' ? name : '' };
  if (typeof description === 'string' && description !== '') out.description = description;
  if (parameters !== undefined) out.parameters = parameters;
  return out;
}
