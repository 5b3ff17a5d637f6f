/** Request-side attributes every provider sets the same way. */
import type { Attributes } from '@opentelemetry/api';
import { GEN_AI } from '../../semconv.ts';
import { compact } from './attributes.ts';
import { toJson } from './json.ts';
import type { Message, Part } from './parts.ts';

/** What a call knows about its client, looked up at call time. */
export interface CallEnv {
  provider: string;
  /** server.address / server.port */
  server: Attributes;
  captureContent: boolean;
}

export interface RequestParams {
  model?: string;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stream?: boolean;
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

/** What a chat-style request says about itself: its parameters, tool definitions and (when captured) prompt. */
export function chatRequestAttributes(env: CallEnv, params: RequestParams, tools: unknown[], system: Part[], messages: Message[]): Attributes {
  return { ...requestAttributes(env, params), ...toolDefinitionsAttribute(tools), ...inputAttributes(env, system, messages) };
}

/** Prompt attributes; empty when content capture is off. */
export function inputAttributes(env: CallEnv, system: Part[], messages: Message[]): Attributes {
  if (!env.captureContent) return {};
  const out: Attributes = {};
  if (system.length > 0) out[GEN_AI.SYSTEM_INSTRUCTIONS] = toJson(system);
  if (messages.length > 0) out[GEN_AI.INPUT_MESSAGES] = toJson(messages);
  return out;
}

export function toolDefinitionsAttribute(definitions: unknown[]): Attributes {
  return definitions.length > 0 ? { [GEN_AI.TOOL_DEFINITIONS]: toJson(definitions) } : {};
}

/** One entry of `gen_ai.tool.definitions`. */
export function toolDefinition(type: string, name: unknown, description: unknown, parameters: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { type, name: typeof name === 'string' ? name : '' };
  if (typeof description === 'string' && description !== '') out.description = description;
  if (parameters !== undefined) out.parameters = parameters;
  return out;
}
