import { describe, expect, it } from 'vitest';
import { mapSpan } from '../map-span.ts';
import { START_NANOS, fixtureSpan } from './fixtures/fixture-span.ts';
import { openaiEventsSpan } from './fixtures/openai-events-1-28.ts';
import { openaiLegacySpan } from './fixtures/openai-legacy-1-26.ts';

describe('otel-genai-legacy: semconv <= 1.26 (fixtures/openai-legacy-1-26.ts)', () => {
  const event = mapSpan(openaiLegacySpan);

  it('maps gen_ai.system and the prompt/completion token names', () => {
    expect(event).toMatchObject({
      type: 'llm', provider: 'openai', model: 'gpt-3.5-turbo-0125', finish_reason: 'stop',
      input_tokens: 57, output_tokens: 17, total_tokens: 74, usage_source: 'reported', environment: 'staging',
    });
  });

  it('reads messages from gen_ai.content.prompt / completion events', () => {
    expect(event.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] },
    ]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }] }]);
  });

  it('keeps the events and the attributes no field took', () => {
    expect(event.events.map((e) => e.name)).toEqual(['gen_ai.content.prompt', 'gen_ai.content.completion']);
    expect(event.attributes).toEqual({
      'gen_ai.request.model': 'gpt-3.5-turbo',
      'gen_ai.request.temperature': 0.7,
      'gen_ai.openai.request.seed': 42,
      'gen_ai.response.id': 'chatcmpl-9J3uIL87gldCFtiIbyaOvTeYBRA3l',
    });
  });
});

describe('otel-genai-legacy: semconv 1.28-1.36 message events (fixtures/openai-events-1-28.ts)', () => {
  const event = mapSpan(openaiEventsSpan);

  it('combines current token names with the old provider key', () => {
    expect(event).toMatchObject({
      type: 'llm', provider: 'openai', model: 'gpt-4o-mini-2024-07-18', finish_reason: 'tool_calls',
      input_tokens: 96, output_tokens: 18, total_tokens: 114,
    });
    expect(event.attributes).not.toHaveProperty('gen_ai.system');
  });

  it('turns one event per message into the input history', () => {
    expect(event.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are a weather bot.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_O8NOz8VlxosSASEsOY7LDUcP', name: 'get_weather', arguments: { location: 'Paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_O8NOz8VlxosSASEsOY7LDUcP', response: 'rainy, 57°F' }] },
    ]);
  });

  it('turns gen_ai.choice into the output with its finish reason', () => {
    expect(event.output).toEqual([
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_2', name: 'get_forecast', arguments: { days: 3 } }], finish_reason: 'tool_calls' },
    ]);
  });

  it('keeps user content that looks like JSON as text', () => {
    const span = fixtureSpan({
      spanId: '0000000000000024', name: 'chat', attributes: { 'gen_ai.system': 'openai' },
      events: [{ timeUnixNano: START_NANOS, name: 'gen_ai.user.message', attributes: { content: '{"order": 1234}' } }],
    });
    expect(mapSpan(span).input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '{"order": 1234}' }] }]);
  });

  it('reads bodies JSON-encoded in gen_ai.event.content and orders choices by index', () => {
    const event = (name: string, body: unknown) => ({ timeUnixNano: START_NANOS, name, attributes: { 'gen_ai.system': 'az.ai.inference', 'gen_ai.event.content': JSON.stringify(body) } });
    const span = fixtureSpan({
      spanId: '0000000000000020', name: 'chat', attributes: { 'gen_ai.system': 'az.ai.inference', 'gen_ai.operation.name': 'chat' },
      events: [
        event('gen_ai.user.message', { role: 'user', content: 'Hi' }),
        event('gen_ai.choice', { index: 1, finish_reason: 'stop', message: { content: 'Second' } }),
        event('gen_ai.choice', { index: 0, finish_reason: 'stop', message: { content: 'First' } }),
      ],
    });
    const mapped = mapSpan(span);
    expect(mapped.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
    expect(mapped.output?.map((m) => m.parts[0].content)).toEqual(['First', 'Second']);
    expect(mapped.output?.[0]).toMatchObject({ role: 'assistant', finish_reason: 'stop' });
  });
});

describe('otel-genai-legacy: mixed with the current names', () => {
  it('lets current names win and keeps the losing legacy values in attributes', () => {
    const span = fixtureSpan({
      spanId: '0000000000000021', name: 'chat gpt-4o',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'azure.ai.openai',
        'gen_ai.system': 'openai',
        'gen_ai.usage.input_tokens': 100,
        'gen_ai.usage.prompt_tokens': 100,
        'gen_ai.usage.output_tokens': 20,
        'gen_ai.usage.completion_tokens': 20,
        'gen_ai.usage.cache_read_input_tokens': 64, // only spelled the OpenLLMetry way: still read
      },
    });
    const event = mapSpan(span);
    expect(event).toMatchObject({ provider: 'azure.ai.openai', input_tokens: 100, output_tokens: 20, total_tokens: 120, cache_read_tokens: 64 });
    expect(event.attributes).toEqual({ 'gen_ai.system': 'openai', 'gen_ai.usage.prompt_tokens': 100, 'gen_ai.usage.completion_tokens': 20 });
  });

  it('maps plain gen_ai.prompt / gen_ai.completion strings to user and assistant text', () => {
    const span = fixtureSpan({
      spanId: '0000000000000022', name: 'completion',
      attributes: { 'gen_ai.system': 'openai', 'gen_ai.prompt': 'Say this is a test', 'gen_ai.completion': 'This is a test.' },
    });
    const event = mapSpan(span);
    expect(event).toMatchObject({
      type: 'llm',
      input: [{ role: 'user', parts: [{ type: 'text', content: 'Say this is a test' }] }],
      output: [{ role: 'assistant', parts: [{ type: 'text', content: 'This is a test.' }] }],
      usage_source: 'none',
    });
    expect(event.attributes).toEqual({});
  });

  it('leaves the type open when gen_ai.system is the only hint', () => {
    const span = fixtureSpan({ spanId: '0000000000000023', name: 'x', attributes: { 'gen_ai.system': 'openai' } });
    expect(mapSpan(span)).toMatchObject({ type: 'span', provider: 'openai' });
  });
});

describe('otel-genai-legacy: finish reason from a gen_ai.choice event', () => {
  it('reads it from the choice when no finish_reasons attribute says it', () => {
    const { 'gen_ai.response.finish_reasons': _dropped, ...attributes } = openaiEventsSpan.attributes;
    expect(mapSpan({ ...openaiEventsSpan, attributes }).finish_reason).toBe('tool_calls');
  });
});
