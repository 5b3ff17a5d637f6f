/**
 * The span attributes the SDK writes. LLM calls use the current OTel GenAI conventions
 * (semantic-conventions gen-ai >= 1.37); the few things OTel has no key for use `observa.*`,
 * which the collector's `observa` dialect reads.
 */

// General OTel registry keys.
export const SESSION_ID = 'session.id';
export const USER_ID = 'user.id';
export const CONVERSATION_ID = 'gen_ai.conversation.id';

// OTel GenAI (current).
export const GEN_AI = {
  OPERATION_NAME: 'gen_ai.operation.name',
  PROVIDER_NAME: 'gen_ai.provider.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  REQUEST_MAX_TOKENS: 'gen_ai.request.max_tokens',
  REQUEST_TEMPERATURE: 'gen_ai.request.temperature',
  REQUEST_TOP_P: 'gen_ai.request.top_p',
  REQUEST_STREAM: 'gen_ai.request.stream',
  RESPONSE_ID: 'gen_ai.response.id',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_FINISH_REASONS: 'gen_ai.response.finish_reasons',
  RESPONSE_TIME_TO_FIRST_CHUNK: 'gen_ai.response.time_to_first_chunk', // seconds
  USAGE_INPUT_TOKENS: 'gen_ai.usage.input_tokens', // includes cached input tokens
  USAGE_OUTPUT_TOKENS: 'gen_ai.usage.output_tokens', // includes reasoning tokens
  USAGE_CACHE_READ_INPUT_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  USAGE_CACHE_CREATION_INPUT_TOKENS: 'gen_ai.usage.cache_creation.input_tokens',
  USAGE_REASONING_OUTPUT_TOKENS: 'gen_ai.usage.reasoning.output_tokens',
  INPUT_MESSAGES: 'gen_ai.input.messages', // JSON: [{role, parts:[...]}]
  OUTPUT_MESSAGES: 'gen_ai.output.messages', // JSON: [{role, parts:[...], finish_reason}]
  SYSTEM_INSTRUCTIONS: 'gen_ai.system_instructions', // JSON: [{type:'text', content}]
  TOOL_DEFINITIONS: 'gen_ai.tool.definitions',
  TOOL_NAME: 'gen_ai.tool.name',
  TOOL_CALL_ID: 'gen_ai.tool.call.id',
  TOOL_CALL_ARGUMENTS: 'gen_ai.tool.call.arguments',
  TOOL_CALL_RESULT: 'gen_ai.tool.call.result',
  AGENT_NAME: 'gen_ai.agent.name',
} as const;

// Observa's own keys, for what OTel has no key for.
export const OBSERVA = {
  /** Canonical span type set by `observe()`: agent, tool, chain, retrieval, ... */
  SPAN_TYPE: 'observa.span.type',
  /** string[] */
  TAGS: 'observa.tags',
  /** `observa.metadata.<key>` = string */
  METADATA_PREFIX: 'observa.metadata.',
  /** JSON of what an observed function received / returned (captureInput / captureOutput). */
  INPUT: 'observa.input',
  OUTPUT: 'observa.output',
  /** string[]: attribute keys whose values were cut to the size limit. */
  TRUNCATED: 'observa.truncated',
  /** string[]: attribute keys in which redaction replaced something. */
  REDACTED: 'observa.redacted',
} as const;
