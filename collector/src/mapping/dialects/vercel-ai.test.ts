import { describe, expect, it } from 'vitest';
import { mapSpan } from '../map-span.ts';
import { common } from './common.ts';
import { fixtureSpan, START_NANOS } from './fixtures/fixture-span.ts';
import { doEmbedSpan, embedManySpan } from './fixtures/vercel-embed-many.ts';
import {
  ANSWER, doGenerateAnswerSpan, doGenerateToolStepSpan, generateTextSpan, toolCallSpan, VERCEL_SCOPE,
} from './fixtures/vercel-generate-text.ts';
import { doStreamSpan, SMALL_PNG_BASE64 } from './fixtures/vercel-stream-text.ts';
import { otelGenAiLegacy } from './otel-genai-legacy.ts';
import { otelGenAi } from './otel-genai.ts';
import { vercelAi } from './vercel-ai.ts';
import { vercelProviderName } from './vercel-ai-provider.ts';

/** The lead's precedence order, without the dialects these fixtures do not exercise. */

const SYSTEM = { role: 'system', parts: [{ type: 'text', content: 'You are a travel assistant.' }] };
const QUESTION = { role: 'user', parts: [{ type: 'text', content: 'What should I pack for Paris this weekend?' }] };
const CALL = { type: 'tool_call', id: 'call_Ht6X2bQ1vNwX8mYkFz3LpA9e', name: 'getWeather', arguments: { city: 'Paris' } };
const RESULT = { type: 'tool_call_response', id: 'call_Ht6X2bQ1vNwX8mYkFz3LpA9e', response: { forecast: 'rain', highC: 14 } };
const TELEMETRY = { session_id: 'sess-42', user_id: 'user-7', tags: ['travel', 'beta'], metadata: { functionId: 'trip-planner', tenantTier: 'pro' } };

describe('vercel-ai: generateText with a tool round trip (fixtures/vercel-generate-text.ts)', () => {
  it('maps the outer call to a chain with the summed usage, the prompt and the final answer', () => {
    const event = mapSpan(generateTextSpan);
    expect(event).toMatchObject({
      type: 'chain', operation_name: 'ai.generateText', provider: 'openai', model: 'gpt-4o', finish_reason: 'stop',
      input_tokens: 295, output_tokens: 60, total_tokens: 355, cache_read_tokens: 0, reasoning_tokens: 0, usage_source: 'reported',
      time_to_first_token_ms: null, ...TELEMETRY,
    });
    expect(event.input).toEqual([SYSTEM, QUESTION]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' }]);
    // The API flavour is more than the provider says, so `openai.responses` is kept.
    expect(event.attributes).toEqual({
      'operation.name': 'ai.generateText trip-planner',
      'resource.name': 'trip-planner',
      'ai.model.provider': 'openai.responses',
      'ai.settings.maxRetries': 2,
      'ai.response.providerMetadata': '{"openai":{"responseId":"resp_68e7a2b0c3d4","serviceTier":"default"}}',
    });
  });

  it('maps each provider call to an llm event; the OTel dialects win the gen_ai.* fields they share', () => {
    const event = mapSpan(doGenerateToolStepSpan);
    expect(event).toMatchObject({
      type: 'llm', operation_name: 'chat', model: 'gpt-4o-2024-08-06', finish_reason: 'tool-calls',
      input_tokens: 120, output_tokens: 18, total_tokens: 138, ...TELEMETRY,
    });
    expect(event.input).toEqual([SYSTEM, QUESTION]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [CALL], finish_reason: 'tool-calls' }]);
    expect(event.attributes).not.toHaveProperty('ai.prompt.messages');
    expect(event.attributes).not.toHaveProperty('ai.response.toolCalls');
    expect(event.attributes).not.toHaveProperty('ai.usage.cachedInputTokens');
    // Values that lost to the OTel dialects stay visible.
    expect(event.attributes).toMatchObject({ 'ai.usage.inputTokens': 120, 'ai.response.model': 'gpt-4o-2024-08-06', 'ai.prompt.toolChoice': '{"type":"auto"}' });
  });

  it('replays the tool round trip in the next step, unwrapping the v5 tool output', () => {
    const event = mapSpan(doGenerateAnswerSpan);
    expect(event.input).toEqual([SYSTEM, QUESTION, { role: 'assistant', parts: [CALL] }, { role: 'tool', parts: [RESULT] }]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: ANSWER }], finish_reason: 'stop' }]);
    expect(event).toMatchObject({ input_tokens: 175, output_tokens: 42, total_tokens: 217 });
  });

  it('maps the tool call to a tool event with arguments and result', () => {
    const event = mapSpan(toolCallSpan);
    expect(event).toMatchObject({
      type: 'tool', operation_name: 'execute_tool', tool_name: 'getWeather', usage_source: 'none',
      session_id: '', metadata: { functionId: 'trip-planner' },
    });
    expect(event.input).toEqual([{ role: 'assistant', parts: [CALL] }]);
    expect(event.output).toEqual([{ role: 'tool', parts: [RESULT] }]);
    expect(event.attributes).toEqual({
      'operation.name': 'ai.toolCall trip-planner', 'resource.name': 'trip-planner', 'ai.toolCall.id': 'call_Ht6X2bQ1vNwX8mYkFz3LpA9e',
    });
  });

  it('extract() alone reads the whole convention, with the normalised provider', () => {
    const { fields, consumed } = vercelAi.extract(doGenerateToolStepSpan);
    expect(fields).toMatchObject({
      type: 'llm', provider: 'openai', model: 'gpt-4o-2024-08-06', input_tokens: 120, output_tokens: 18, total_tokens: 138,
      cache_read_tokens: 0, reasoning_tokens: 0, finish_reason: 'tool-calls', session_id: 'sess-42',
    });
    expect(consumed.provider).toEqual([]); // openai.responses -> openai loses the API: the key stays
    expect(consumed.cache_read_tokens).toEqual(['ai.usage.cachedInputTokens']);
    expect(consumed.metadata).toEqual(['ai.telemetry.functionId', 'ai.telemetry.metadata.tenantTier']);
  });

  it('names the provider the same on provider calls, whose raw SDK id otel-genai-legacy reads first from gen_ai.system', () => {
    expect(mapSpan(doGenerateToolStepSpan).provider).toBe('openai');
    expect(mapSpan(doGenerateToolStepSpan, [otelGenAi, vercelAi, otelGenAiLegacy, common]).provider).toBe('openai');
  });
});

describe('vercel-ai: streamText provider call, v6 usage details (fixtures/vercel-stream-text.ts)', () => {
  const event = mapSpan(doStreamSpan);

  it('reads cache reads and writes, reasoning tokens and the time to first chunk', () => {
    expect(event).toMatchObject({
      type: 'llm', operation_name: 'chat', model: 'claude-sonnet-4-5-20250929', finish_reason: 'stop',
      input_tokens: 4120, output_tokens: 211, total_tokens: 4331,
      cache_read_tokens: 3900, cache_write_tokens: 200, reasoning_tokens: 64, time_to_first_token_ms: 612.438,
    });
  });

  it('consumes every alias of a count, keeping the details it does not map', () => {
    for (const key of ['ai.usage.cachedInputTokens', 'ai.usage.inputTokenDetails.cacheReadTokens', 'ai.usage.inputTokenDetails.cacheWriteTokens',
      'ai.usage.reasoningTokens', 'ai.usage.outputTokenDetails.reasoningTokens', 'ai.usage.totalTokens', 'ai.response.msToFirstChunk']) {
      expect(event.attributes).not.toHaveProperty([key]);
    }
    expect(event.attributes).toMatchObject({
      'ai.usage.inputTokenDetails.noCacheTokens': 20, 'ai.usage.outputTokenDetails.textTokens': 147,
      'ai.response.msToFinish': 2480.91, 'ai.response.avgOutputTokensPerSecond': 85.05,
    });
  });

  it('keeps the inline image and puts the reasoning before the text', () => {
    expect(event.input?.[1].parts[1]).toEqual({ type: 'blob', modality: 'image', mime_type: 'image/png', content: SMALL_PNG_BASE64 });
    expect(event.output).toEqual([{
      role: 'assistant', finish_reason: 'stop',
      parts: [{ type: 'reasoning', content: 'The image is 1x1; describe it as such.' }, { type: 'text', content: 'A single transparent pixel.' }],
    }]);
  });

  it('falls back to the ai.stream.firstChunk event: its attribute, else its offset from the span start', () => {
    const { 'ai.response.msToFirstChunk': _ttfc, ...attributes } = doStreamSpan.attributes;
    expect(vercelAi.extract({ ...doStreamSpan, attributes }).fields.time_to_first_token_ms).toBe(612.438);
    const events = [{ timeUnixNano: START_NANOS + 700_250_000n, name: 'ai.stream.firstChunk', attributes: {} }];
    expect(vercelAi.extract({ ...doStreamSpan, attributes, events }).fields.time_to_first_token_ms).toBe(700.25);
  });

  it('takes v5 cache writes from the provider metadata when the usage has none', () => {
    const { 'ai.usage.inputTokenDetails.cacheWriteTokens': _writes, ...attributes } = doStreamSpan.attributes;
    const { fields, consumed } = vercelAi.extract({ ...doStreamSpan, attributes });
    expect(fields.cache_write_tokens).toBe(200);
    expect(consumed.cache_write_tokens).toEqual([]);
  });
});

describe('vercel-ai: embedMany (fixtures/vercel-embed-many.ts)', () => {
  it('maps the outer call to a chain and the provider call to an embedding event with the texts as input', () => {
    const input = [{ role: 'user', parts: [{ type: 'text', content: 'sunny day at the beach' }, { type: 'text', content: 'rainy afternoon in the city' }] }];
    expect(mapSpan(embedManySpan)).toMatchObject({ type: 'chain', operation_name: 'ai.embedMany', input_tokens: 11, total_tokens: 11, input });
    const event = mapSpan(doEmbedSpan);
    expect(event).toMatchObject({
      type: 'embedding', operation_name: 'embeddings', provider: 'openai', model: 'text-embedding-3-small',
      input_tokens: 11, output_tokens: 0, total_tokens: 11, usage_source: 'reported', input, output: null,
    });
    expect(event.attributes).toEqual({
      'operation.name': 'ai.embedMany.doEmbed', 'ai.model.provider': 'openai.embedding', 'ai.settings.maxRetries': 2,
      'ai.embeddings': ['[0.0123,-0.0456,0.0789]', '[-0.0321,0.0654,-0.0987]'],
    });
  });
});

describe('vercel-ai: other shapes', () => {
  const span = (attributes: Record<string, unknown>, name = 'ai.generateText') =>
    fixtureSpan({ spanId: '00000000000000a1', name, scope: VERCEL_SCOPE, attributes: attributes as never });

  it.each([
    ['openai.chat', undefined, 'openai'], ['anthropic.messages', undefined, 'anthropic'], ['google.generative-ai', undefined, 'gcp.gemini'],
    ['google.vertex.chat', undefined, 'gcp.vertex_ai'], ['vertex.anthropic.messages', undefined, 'gcp.vertex_ai'],
    ['amazon-bedrock', undefined, 'aws.bedrock'], ['azure.responses', undefined, 'azure.ai.openai'], ['azure-openai.chat', undefined, 'azure.ai.openai'],
    ['mistral.chat', undefined, 'mistral_ai'], ['xai.chat', undefined, 'x_ai'], ['groq.chat', undefined, 'groq'], ['togetherai.chat', undefined, 'togetherai'],
    ['gateway', 'anthropic/claude-sonnet-4.5', 'anthropic'], ['gateway', 'google/gemini-2.5-flash', 'gcp.gemini'], ['gateway', 'custom-model', 'gateway'],
  ])('normalises provider %s (model %s) to %s', (provider, model, expected) => {
    expect(vercelProviderName(provider, model)).toBe(expected);
  });

  it('reads v4 counts, JSON-encoded tool call args and an ai.prompt holding messages', () => {
    const { fields } = vercelAi.extract(span({
      'ai.operationId': 'ai.generateText.doGenerate', 'ai.model.provider': 'openai.chat', 'ai.model.id': 'gpt-4o',
      'ai.usage.promptTokens': 10, 'ai.usage.completionTokens': 5,
      'ai.response.toolCalls': '[{"toolCallType":"function","toolCallId":"c1","toolName":"f","args":"{\\"x\\":1}"}]',
      'ai.prompt': JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
    }, 'ai.generateText.doGenerate'));
    expect(fields).toMatchObject({ provider: 'openai', input_tokens: 10, output_tokens: 5 });
    expect(fields.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]);
    expect(fields.output).toEqual([{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: { x: 1 } }] }]);
  });

  it('reads snake_case session/user keys, tags as JSON text and non-string metadata', () => {
    const { fields } = vercelAi.extract(span({
      'ai.operationId': 'ai.generateText', 'ai.telemetry.metadata.session_id': 's-1', 'ai.telemetry.metadata.user_id': 42,
      'ai.telemetry.metadata.tags': '["a","b"]', 'ai.telemetry.metadata.attempt': 3, 'ai.telemetry.metadata.flags': [true, false],
    }));
    expect(fields).toMatchObject({ session_id: 's-1', user_id: '42', tags: ['a', 'b'], metadata: { attempt: '3', flags: '[true,false]' } });
  });

  it('leaves unknown operations unclassified and survives malformed values', () => {
    const result = vercelAi.extract(span({
      'ai.operationId': 'ai.generateImage', 'ai.prompt.messages': '[{"role": "user", "content": [', 'ai.usage.inputTokens': 'many',
      'ai.toolCall.result': '', 'ai.telemetry.metadata.__proto__': 'x',
    }, 'ai.generateImage'));
    expect(result.fields.type).toBeUndefined();
    expect(result.fields.input_tokens).toBeUndefined();
    expect(result.fields.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '[{"role": "user", "content": [' }] }]);
    expect(Object.getPrototypeOf(result.fields.metadata)).toBe(Object.prototype);
    expect(Object.keys(result.fields.metadata ?? {})).toEqual(['__proto__']);
  });

  it('matches only spans with ai.* attributes', () => {
    expect(vercelAi.matches(span({ 'ai.operationId': 'ai.toolCall' }))).toBe(true);
    expect(vercelAi.matches(span({ 'gen_ai.operation.name': 'chat', 'aim.x': 1 }))).toBe(false);
  });
});
