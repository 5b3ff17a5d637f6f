import { describe, expect, it } from 'vitest';
import type { DecodedSpan } from '../../otlp/span.ts';
import { mapSpan } from '../map-span.ts';
import { fixtureSpan } from './fixtures/fixture-span.ts';
import { openllmetryChatSpan } from './fixtures/openllmetry-openai-chat.ts';
import { openllmetryTaskSpan, openllmetryToolSpan, openllmetryWorkflowSpan } from './fixtures/openllmetry-workflow.ts';
import { openLlmetry } from './openllmetry.ts';

const span = (spanId: string, attributes: DecodedSpan['attributes']) => fixtureSpan({ spanId, name: 'x', attributes });

describe('openllmetry: OpenAI chat with flattened prompts and completions (fixtures/openllmetry-openai-chat.ts)', () => {
  const event = mapSpan(openllmetryChatSpan);

  it('classifies from llm.request.type and reads model, provider and usage', () => {
    expect(event).toMatchObject({
      type: 'llm', model: 'gpt-4o-2024-08-06', provider: 'openai', span_kind: 'client', finish_reason: 'tool_calls',
      input_tokens: 1377, output_tokens: 21, total_tokens: 1398, cache_read_tokens: 1024, cache_write_tokens: 0, usage_source: 'reported',
    });
  });

  it('takes session and user from association properties, the rest as metadata', () => {
    expect(event).toMatchObject({ session_id: 'sess-99', user_id: 'user-7', metadata: { plan: 'pro' } });
  });

  it('rebuilds the prompts: JSON-encoded parts, an earlier tool call and its result', () => {
    expect(event.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are a helpful travel assistant.' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'Plan 3 days in the city on this postcard.' },
          { type: 'uri', modality: 'image', uri: 'https://images.example.com/postcard.jpg' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_8fKq2LmN', name: 'identify_city', arguments: { image_index: 0 } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_8fKq2LmN', response: 'Paris' }] },
    ]);
  });

  it('rebuilds the completion tool call with its finish reason', () => {
    expect(event.output).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_3vYt9RwE', name: 'get_forecast', arguments: { city: 'Paris', days: 3 } }], finish_reason: 'tool_calls' },
    ]);
  });

  it('consumes mapped keys and keeps the rest, including tool definitions and llm.is_streaming', () => {
    expect(event.attributes).toEqual({
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.temperature': 0.2,
      'llm.headers': 'None',
      'llm.is_streaming': false,
      'gen_ai.openai.api_base': 'https://api.openai.com/v1/',
      'llm.request.functions.0.name': 'get_forecast',
      'llm.request.functions.0.description': 'Daily weather forecast for a city',
      'llm.request.functions.0.parameters': '{"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}}',
      'gen_ai.response.id': 'chatcmpl-BR2xPq7sZ0aLm',
      'gen_ai.openai.system_fingerprint': 'fp_a7d06e42a7',
      'traceloop.workflow.name': 'plan_trip',
      'traceloop.entity.path': 'plan_trip',
    });
  });

  it('extract() reports each field with the keys it came from', () => {
    const { fields, consumed } = openLlmetry.extract(openllmetryChatSpan);
    expect(fields).toMatchObject({ type: 'llm', provider: 'openai', total_tokens: 1398 });
    expect(consumed).toMatchObject({
      type: ['llm.request.type'], provider: ['gen_ai.system'], total_tokens: ['llm.usage.total_tokens'],
      session_id: ['traceloop.association.properties.session_id'], metadata: ['traceloop.association.properties.plan'],
    });
    expect(consumed.input).toHaveLength(11);
    expect(consumed.output).toEqual(expect.arrayContaining(['gen_ai.completion.0.finish_reason', 'gen_ai.completion.0.tool_calls.0.arguments']));
  });
});

describe('openllmetry: Traceloop SDK workflow, task and tool spans (fixtures/openllmetry-workflow.ts)', () => {
  it('maps a workflow: kwargs as JSON text input, the returned string as output, camelCase ids', () => {
    const event = mapSpan(openllmetryWorkflowSpan);
    expect(event).toMatchObject({ type: 'chain', session_id: 'sess-99', user_id: 'user-7', metadata: { plan: 'pro' }, tool_name: '', usage_source: 'none' });
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '{"destination":"Paris","days":3}' }] }]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Pack an umbrella: rain is forecast for all three days.' }] }]);
    expect(event.attributes).toEqual({ 'traceloop.workflow.name': 'plan_trip', 'traceloop.entity.name': 'plan_trip', 'traceloop.entity.path': '' });
  });

  it('maps a task whose argument is a chat payload to messages', () => {
    const event = mapSpan(openllmetryTaskSpan);
    expect(event.type).toBe('chain');
    expect(event.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Summarise forecasts in one sentence.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Paris: rain Mon-Wed, 11-14°C' }] },
    ]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Rain all three days, 11-14°C.' }] }]);
    expect(Object.keys(event.attributes)).toEqual(['traceloop.entity.name', 'traceloop.entity.path', 'traceloop.entity.version']);
  });

  it('maps a tool: the entity name as tool name, arguments as the call, the result as the response', () => {
    const event = mapSpan(openllmetryToolSpan);
    expect(event).toMatchObject({ type: 'tool', tool_name: 'get_forecast' });
    expect(event.input).toEqual([{ role: 'assistant', parts: [{ type: 'tool_call', name: 'get_forecast', arguments: ['Paris', 3] }] }]);
    expect(event.output).toEqual([{
      role: 'tool',
      parts: [{ type: 'tool_call_response', response: { city: 'Paris', days: [{ day: 'Mon', rain: true }, { day: 'Tue', rain: true }, { day: 'Wed', rain: true }] } }],
    }]);
    expect(Object.keys(event.attributes)).toEqual(['traceloop.entity.path']);
  });
});

describe('openllmetry: other shapes', () => {
  it.each([
    [{ 'llm.request.type': 'chat' }, 'llm'], [{ 'llm.request.type': 'completion' }, 'llm'],
    [{ 'llm.request.type': 'embedding' }, 'embedding'], [{ 'llm.request.type': 'rerank' }, 'reranker'],
    [{ 'traceloop.span.kind': 'workflow' }, 'chain'], [{ 'traceloop.span.kind': 'task' }, 'chain'],
    [{ 'traceloop.span.kind': 'agent' }, 'agent'], [{ 'traceloop.span.kind': 'tool' }, 'tool'],
    [{ 'traceloop.span.kind': 'unknown' }, 'span'],
  ])('classifies %j as %s', (attributes, type) => {
    expect(mapSpan(span('0000000000000201', attributes)).type).toBe(type);
  });

  it("wins the type over otel-genai-legacy's guess, and loses usage to the current OTel names", () => {
    const event = mapSpan(span('0000000000000202', {
      'llm.request.type': 'embedding', 'gen_ai.system': 'OpenAI', 'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.usage.prompt_tokens': 12, 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.total_tokens': 12,
    }));
    expect(event).toMatchObject({ type: 'embedding', provider: 'openai', input_tokens: 12, total_tokens: 12 });
    expect(event.attributes).toEqual({ 'gen_ai.usage.prompt_tokens': 12 });
  });

  it.each([
    ['OpenAI', 'openai'], ['Azure OpenAI', 'azure.ai.openai'], ['Anthropic', 'anthropic'], ['AWS', 'aws.bedrock'],
    ['VertexAI', 'gcp.vertex_ai'], ['MistralAI', 'mistral_ai'], ['TogetherAI', 'togetherai'], ['Cerebras', 'cerebras'],
  ])('names gen_ai.system %s as %s', (system, provider) => {
    expect(mapSpan(span('0000000000000203', { 'llm.request.type': 'chat', 'gen_ai.system': system })).provider).toBe(provider);
  });

  it('maps Anthropic completions: a `.user` prompt, thinking as reasoning, cache writes inside prompt tokens', () => {
    const event = mapSpan(span('0000000000000204', {
      'llm.request.type': 'completion', 'gen_ai.system': 'Anthropic',
      'gen_ai.prompt.0.user': '\n\nHuman: Is it raining in Paris?\n\nAssistant:',
      'gen_ai.completion.0.role': 'thinking', 'gen_ai.completion.0.content': 'Look at the forecast.',
      'gen_ai.completion.1.role': 'assistant', 'gen_ai.completion.1.content': 'Yes.', 'gen_ai.completion.0.finish_reason': 'end_turn',
      'gen_ai.usage.prompt_tokens': 3100, 'gen_ai.usage.completion_tokens': 40, 'gen_ai.usage.cache_creation_input_tokens': 3000,
    }));
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '\n\nHuman: Is it raining in Paris?\n\nAssistant:' }] }]);
    expect(event.output).toEqual([
      { role: 'assistant', parts: [{ type: 'reasoning', content: 'Look at the forecast.' }], finish_reason: 'end_turn' },
      { role: 'assistant', parts: [{ type: 'text', content: 'Yes.' }] },
    ]);
    expect(event).toMatchObject({ finish_reason: 'end_turn', input_tokens: 3100, output_tokens: 40, total_tokens: 3140, cache_write_tokens: 3000 });
  });

  it('keeps user text that only looks like JSON as text', () => {
    const event = mapSpan(span('0000000000000205', { 'gen_ai.prompt.0.role': 'user', 'gen_ai.prompt.0.content': '[1, 2, 3]' }));
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '[1, 2, 3]' }] }]);
  });

  it('unwraps LangChain {inputs}/{outputs} entities and skips a function without arguments', () => {
    const chain = mapSpan(span('0000000000000206', {
      'traceloop.span.kind': 'task',
      'traceloop.entity.input': JSON.stringify({ inputs: { question: 'Refund window?' }, tags: [], metadata: {}, kwargs: { name: 'RunnableSequence' } }),
      'traceloop.entity.output': JSON.stringify({ outputs: 'Thirty days.', kwargs: { tags: [] } }),
    }));
    expect(chain.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '{"question":"Refund window?"}' }] }]);
    expect(chain.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Thirty days.' }] }]);
    const empty = mapSpan(span('0000000000000207', { 'traceloop.span.kind': 'task', 'traceloop.entity.input': '{"args":[],"kwargs":{}}' }));
    expect(empty).toMatchObject({ input: null, attributes: { 'traceloop.entity.input': '{"args":[],"kwargs":{}}' } });
  });

  it('stringifies non-string association properties into metadata, keeping a second session key there', () => {
    const event = mapSpan(span('0000000000000208', {
      'traceloop.association.properties.session_id': 's-1', 'traceloop.association.properties.sessionId': 's-2',
      'traceloop.association.properties.retries': 2, 'traceloop.association.properties.__proto__': 'x',
    }));
    expect(event.session_id).toBe('s-1');
    expect(event.metadata).toEqual(JSON.parse('{"sessionId": "s-2", "retries": "2", "__proto__": "x"}'));
    expect(event.attributes).toEqual({});
  });

  it('does not match plain legacy OTel spans or unrelated spans', () => {
    expect(openLlmetry.matches(span('0000000000000209', { 'gen_ai.system': 'openai', 'gen_ai.prompt': 'hi' }))).toBe(false);
    expect(openLlmetry.matches(span('0000000000000210', { 'http.route': '/' }))).toBe(false);
    expect(openLlmetry.matches(span('0000000000000211', { 'gen_ai.completion.0.content': 'hi' }))).toBe(true);
  });
});
