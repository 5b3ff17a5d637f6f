import { describe, expect, it } from 'vitest';
import { mapSpan } from '../map-span.ts';
import { LARGE_IMAGE_BASE64, anthropicStreamSpan } from './fixtures/anthropic-stream.ts';
import { embeddingsSpan } from './fixtures/embeddings.ts';
import { executeToolSpan } from './fixtures/execute-tool.ts';
import { fixtureSpan } from './fixtures/fixture-span.ts';
import { openaiChatSpan } from './fixtures/openai-chat.ts';
import { otelGenAi } from './otel-genai.ts';

describe('otel-genai: OpenAI chat (fixtures/openai-chat.ts)', () => {
  const event = mapSpan(openaiChatSpan);

  it('classifies the call and prefers the response model over the request model', () => {
    expect(event).toMatchObject({
      type: 'llm', operation_name: 'chat', provider: 'openai', model: 'gpt-4o-2024-08-06', span_kind: 'client',
      finish_reason: 'stop', conversation_id: 'conv_5j66UpCpwteGg4YSxUnt7lPY',
    });
  });

  it('counts tokens exactly, cached tokens inside input and never added again', () => {
    expect(event).toMatchObject({
      input_tokens: 2345, output_tokens: 120, total_tokens: 2465,
      cache_read_tokens: 1920, cache_write_tokens: 0, reasoning_tokens: 0, usage_source: 'reported',
    });
  });

  it('takes session and user from the general keys, not from the conversation id', () => {
    expect(event).toMatchObject({ session_id: 'sess-7f3a', user_id: 'user-1234' });
  });

  it('puts system instructions first, then the chat history', () => {
    expect(event.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are a helpful travel assistant.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_VSPygqKTWdrhaFErNvMV18Yl', name: 'get_weather', arguments: { location: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_VSPygqKTWdrhaFErNvMV18Yl', response: 'rainy, 57°F' }] },
    ]);
    expect(event.output).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'The weather in Paris is currently rainy with a temperature of 57°F.' }], finish_reason: 'stop' },
    ]);
  });

  it('keeps unmapped attributes with their values, including the request model that lost to the response model', () => {
    expect(event.attributes).toEqual({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 512,
      'gen_ai.output.type': 'text',
      'gen_ai.response.id': 'chatcmpl-AZ1xLb0Q8Tf6iS0GmZQ7c9xyz',
      'server.address': 'api.openai.com',
      'server.port': 443,
    });
  });
});

describe('otel-genai: streaming Anthropic call (fixtures/anthropic-stream.ts)', () => {
  const event = mapSpan(anthropicStreamSpan);

  it('falls back to the request model and reads every usage counter', () => {
    expect(event).toMatchObject({
      model: 'claude-sonnet-4-5', provider: 'anthropic', status: 'ok', finish_reason: 'tool_use',
      input_tokens: 15230, output_tokens: 812, total_tokens: 16042,
      cache_read_tokens: 12000, cache_write_tokens: 3000, reasoning_tokens: 400,
    });
    expect(event.attributes).not.toHaveProperty('gen_ai.request.model');
  });

  it('converts time to first chunk from seconds to milliseconds', () => {
    expect(event.time_to_first_token_ms).toBe(842);
  });

  it('repairs string content and replaces the large inline image by a size marker', () => {
    expect(event.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Describe images precisely.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'What is in these pictures?' },
          { type: 'blob', modality: 'image', mime_type: 'image/png', size: 9000, content_omitted: true },
          { type: 'uri', modality: 'image', mime_type: 'image/jpeg', uri: 'https://example.com/cat.jpg' },
        ],
      },
    ]);
    expect(JSON.stringify(event)).not.toContain(LARGE_IMAGE_BASE64.slice(0, 200));
  });

  it('keeps reasoning and tool call parts of the output', () => {
    expect(event.output?.[0].parts.map((p) => p.type)).toEqual(['reasoning', 'tool_call']);
  });
});

describe('otel-genai: other operations', () => {
  it('maps an execute_tool span to a tool event with the call as input and the result as output', () => {
    const event = mapSpan(executeToolSpan);
    expect(event).toMatchObject({ type: 'tool', operation_name: 'execute_tool', tool_name: 'get_weather', span_kind: 'internal', usage_source: 'none' });
    expect(event.input).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_VSPygqKTWdrhaFErNvMV18Yl', name: 'get_weather', arguments: { location: 'Paris' } }] },
    ]);
    expect(event.output).toEqual([{ role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_VSPygqKTWdrhaFErNvMV18Yl', response: 'rainy, 57°F' }] }]);
    expect(event.attributes).toEqual({
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': 'Get the current weather for a location',
      'gen_ai.tool.call.id': 'call_VSPygqKTWdrhaFErNvMV18Yl',
    });
  });

  it('maps an embeddings span with input tokens only', () => {
    const event = mapSpan(embeddingsSpan);
    expect(event).toMatchObject({
      type: 'embedding', model: 'text-embedding-3-small', provider: 'openai',
      input_tokens: 8, output_tokens: 0, total_tokens: 8, usage_source: 'reported', input: null, output: null,
    });
    expect(event.attributes).toMatchObject({ 'gen_ai.embeddings.dimension.count': 1536, 'gen_ai.request.encoding_formats': ['float'] });
  });

  it.each([
    ['text_completion', 'llm'], ['generate_content', 'llm'], ['invoke_agent', 'agent'], ['create_agent', 'agent'],
    ['invoke_workflow', 'chain'], ['retrieval', 'retrieval'], ['some_future_op', 'span'], ['constructor', 'span'],
  ])('classifies operation %s as %s', (operation, type) => {
    const span = fixtureSpan({ spanId: '0000000000000010', name: operation, attributes: { 'gen_ai.operation.name': operation } });
    expect(mapSpan(span)).toMatchObject({ type, operation_name: operation });
  });

  it('reads values that SDKs without array or int attributes send as strings', () => {
    const span = fixtureSpan({
      spanId: '0000000000000011', name: 'chat',
      attributes: { 'gen_ai.usage.input_tokens': '42', 'gen_ai.usage.output_tokens': 7n, 'gen_ai.response.finish_reasons': '["length"]' },
    });
    expect(mapSpan(span)).toMatchObject({ input_tokens: 42, output_tokens: 7, total_tokens: 49, finish_reason: 'length' });
  });

  it('ignores malformed values instead of throwing, and keeps them in attributes', () => {
    const span = fixtureSpan({
      spanId: '0000000000000012', name: 'chat',
      attributes: { 'gen_ai.usage.input_tokens': 'many', 'gen_ai.usage.output_tokens': -3, 'gen_ai.input.messages': '[{"role": "user", "parts": [', 'gen_ai.output.messages': '' },
    });
    const event = mapSpan(span);
    expect(event).toMatchObject({ input_tokens: 0, output_tokens: 0, usage_source: 'none' });
    expect(event.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 'many', 'gen_ai.usage.output_tokens': -3 });
    // Broken JSON is still the prompt the app sent: kept as text rather than dropped.
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '[{"role": "user", "parts": [' }] }]);
  });

  it('does not match spans without gen_ai attributes', () => {
    expect(otelGenAi.matches(fixtureSpan({ spanId: '0000000000000013', name: 'x', attributes: { 'http.route': '/' } }))).toBe(false);
  });
});

describe('otel-genai: a cost reported on the span', () => {
  it('takes gen_ai.usage.cost (USD) as the reported cost', () => {
    const event = mapSpan({ ...openaiChatSpan, attributes: { ...openaiChatSpan.attributes, 'gen_ai.usage.cost': 0.0123 } });
    expect(event).toMatchObject({ cost_usd: 0.0123, cost_source: 'reported' });
    expect(event.attributes).not.toHaveProperty(['gen_ai.usage.cost']);
  });
});
