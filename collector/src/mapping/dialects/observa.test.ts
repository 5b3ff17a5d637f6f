import { describe, expect, it } from 'vitest';
import { mapSpan } from '../map-span.ts';
import { fixtureSpan } from './fixtures/fixture-span.ts';

describe('observa: keys written by @observa/sdk', () => {
  const span = fixtureSpan({
    spanId: 'a1a1a1a1a1a1a1a1',
    name: 'lookup_weather',
    attributes: {
      'observa.span.type': 'tool',
      'observa.tags': ['beta', 'weather'],
      'observa.metadata.plan': 'pro',
      'observa.metadata.region': 'eu',
      'observa.input': JSON.stringify({ city: 'Paris' }),
      'observa.output': JSON.stringify({ temperature_c: 18 }),
      'observa.truncated': ['observa.output'],
      'session.id': 's-1',
    },
  });
  const event = mapSpan(span);

  it('reads the declared type, tags, metadata and the observed input/output', () => {
    expect(event).toMatchObject({ type: 'tool', tool_name: 'lookup_weather', tags: ['beta', 'weather'], metadata: { plan: 'pro', region: 'eu' }, session_id: 's-1' });
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '{"city":"Paris"}' }] }]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: '{"temperature_c":18}' }] }]);
  });

  it('keeps the markers and ignores an unknown type', () => {
    expect(event.attributes).toEqual({ 'observa.truncated': ['observa.output'] });
    const odd = mapSpan(fixtureSpan({ spanId: 'b2b2b2b2b2b2b2b2', name: 'x', attributes: { 'observa.span.type': 'wizard' } }));
    expect(odd.type).toBe('span');
    expect(odd.attributes).toEqual({ 'observa.span.type': 'wizard' });
  });

  it('lets OTel GenAI describe the model call inside an observed LLM span', () => {
    const llm = mapSpan(fixtureSpan({ spanId: 'c3c3c3c3c3c3c3c3', name: 'chat gpt-4o', attributes: { 'observa.span.type': 'llm', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 3 } }));
    expect(llm).toMatchObject({ type: 'llm', model: 'gpt-4o', input_tokens: 3 });
  });
});
