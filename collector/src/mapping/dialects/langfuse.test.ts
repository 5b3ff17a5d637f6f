import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../otlp/span.ts';
import { mapSpan } from '../map-span.ts';
import { fixtureSpan } from './fixtures/fixture-span.ts';
import { langfuseToolErrorSpan } from './fixtures/langfuse-error.ts';
import { langfuseGenerationSpan } from './fixtures/langfuse-generation.ts';
import { langfuseRootSpan } from './fixtures/langfuse-span.ts';
import { langfuse } from './langfuse.ts';
import { langfuseCost, langfuseUsage } from './langfuse-usage.ts';


describe('langfuse: generation (fixtures/langfuse-generation.ts)', () => {
  const event = mapSpan(langfuseGenerationSpan);

  it('classifies the generation and reads model, session, user, tags and environment', () => {
    expect(event).toMatchObject({
      type: 'llm', model: 'gpt-4o-mini', session_id: 'sess-9', user_id: 'user-3', tags: ['support'], environment: 'staging', status: 'unset',
    });
  });

  it('adds the cached bucket back into the input tokens, and takes total and cost as reported', () => {
    expect(event).toMatchObject({
      input_tokens: 1436, output_tokens: 38, total_tokens: 1474, cache_read_tokens: 1024, cache_write_tokens: 0, reasoning_tokens: 0,
      usage_source: 'reported', cost_usd: 0.0001614, cost_source: 'reported',
    });
  });

  it('measures the time to first token from the completion start time', () => {
    expect(event.time_to_first_token_ms).toBe(449.543211); // 08:53:20.573 - 08:53:20.123456789
  });

  it('normalises chat messages of the input and output', () => {
    expect(event.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are a concise support assistant.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Summarise ticket T-1001.' }] },
    ]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Customer cannot reset the password: the link expired.' }] }]);
  });

  it('keeps model parameters and the prompt link, and nothing it consumed', () => {
    expect(event.attributes).toEqual({
      'langfuse.observation.model.parameters': '{"temperature":0.3,"max_tokens":500}',
      'langfuse.observation.prompt.name': 'ticket-summary',
      'langfuse.observation.prompt.version': 3,
    });
  });
});

describe('langfuse: root span with trace attributes (fixtures/langfuse-span.ts)', () => {
  const event = mapSpan(langfuseRootSpan);

  it('merges trace and observation metadata, the observation winning a shared key', () => {
    expect(event.metadata).toEqual({ team: 'billing', ticket_priority: 'high', retries: '2', flags: '["vip"]' });
    expect(event).toMatchObject({ tags: ['support', 'priority'], session_id: 'sess-9', user_id: 'user-3', type: 'span' });
  });

  it('uses the trace input and output for the root span, structured values as JSON text', () => {
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '{"ticket_id":"T-1001","question":"I cannot reset my password"}' }] }]);
    expect(event.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Reset link re-sent.' }] }]);
  });

  it('keeps a WARNING level as an attribute and its message as the status message, without failing the span', () => {
    expect(event).toMatchObject({ status: 'unset', status_message: 'CRM answered slowly' });
    expect(event.attributes).toEqual({
      'langfuse.observation.type': 'span',
      'langfuse.observation.level': 'WARNING',
      'langfuse.trace.name': 'support-bot',
      'langfuse.version': '1.4.2',
      'langfuse.release': 'r-2025-10-09',
    });
  });

  it('leaves trace input and output of a child span in attributes', () => {
    const child = { ...langfuseRootSpan, parentSpanId: '1111111111111111' };
    const fields = langfuse.extract(child).fields;
    expect(fields.input).toBeUndefined();
    expect(mapSpan(child).attributes).toMatchObject({ 'langfuse.trace.input': langfuseRootSpan.attributes['langfuse.trace.input'] });
  });
});

describe('langfuse: ERROR-level tool observation (fixtures/langfuse-error.ts)', () => {
  it('fails the span from the level even though the OTel status was left unset', () => {
    const event = mapSpan(langfuseToolErrorSpan);
    expect(event).toMatchObject({
      type: 'tool', tool_name: 'crm-lookup', status: 'error', status_message: 'Timeout after 30s calling the CRM',
      metadata: { endpoint: '/v2/customers', attempt: '3' }, attributes: {},
    });
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: '{"customer_id":"c-77"}' }] }]);
  });
});

describe('langfuse: other shapes', () => {
  const span = (attributes: Attributes, parentSpanId = '2222222222222222') => fixtureSpan({ spanId: '00000000000000b1', parentSpanId, name: 'obs', attributes });

  it.each([
    ['generation', 'llm'], ['embedding', 'embedding'], ['agent', 'agent'], ['tool', 'tool'], ['chain', 'chain'],
    ['retriever', 'retrieval'], ['evaluator', 'evaluator'], ['guardrail', 'guardrail'],
  ])('maps observation type %s to %s and consumes it', (type, expected) => {
    const event = mapSpan(span({ 'langfuse.observation.type': type }));
    expect(event.type).toBe(expected);
    expect(event.attributes).toEqual({});
  });

  it('leaves span and event observations to later dialects, keeping the type attribute', () => {
    const event = mapSpan(span({ 'langfuse.observation.type': 'event', 'gen_ai.operation.name': 'chat' }));
    expect(event).toMatchObject({ type: 'llm', attributes: { 'langfuse.observation.type': 'event' } });
    expect(langfuse.extract(span({ 'langfuse.observation.type': 'span' })).fields.type).toBeUndefined();
  });

  it('prefers langfuse.session.id / langfuse.user.id and the whole-object metadata of newer SDKs', () => {
    const fields = langfuse.extract(span({
      'langfuse.session.id': 's-new', 'session.id': 's-old', 'langfuse.user.id': 'u-new', 'user.id': 'u-old',
      'langfuse.observation.metadata': '{"a":1,"b":{"c":"d"}}', 'langfuse.trace.tags': '["x"]',
    })).fields;
    expect(fields).toMatchObject({ session_id: 's-new', user_id: 'u-new', tags: ['x'], metadata: { a: '1', b: '{"c":"d"}' } });
  });

  it('reads a naive Python completion start time as UTC and ignores one before the span start', () => {
    expect(langfuse.extract(span({ 'langfuse.observation.completion_start_time': '"2025-10-09T08:53:21.123456"' })).fields.time_to_first_token_ms)
      .toBe(999.999211);
    expect(langfuse.extract(span({ 'langfuse.observation.completion_start_time': '2025-10-09T08:53:19Z' })).fields.time_to_first_token_ms)
      .toBeUndefined();
  });

  it('wraps non-message output of a tool as a tool message', () => {
    const fields = langfuse.extract(span({ 'langfuse.observation.type': 'tool', 'langfuse.observation.output': '{"rows":3}' })).fields;
    expect(fields.output).toEqual([{ role: 'tool', parts: [{ type: 'text', content: '{"rows":3}' }] }]);
  });

  it('reads the messages of an input that also lists tools, keeping the attribute for the tools', () => {
    const input = JSON.stringify({ tools: [{ type: 'function', function: { name: 'lookup' } }], messages: [{ role: 'user', content: 'hi' }] });
    const event = mapSpan(span({ 'langfuse.observation.input': input }));
    expect(event.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }]);
    expect(event.attributes).toEqual({ 'langfuse.observation.input': input });
  });

  it('keeps usage details with keys it does not know in attributes, while still reading the known ones', () => {
    const event = mapSpan(span({ 'langfuse.observation.usage_details': '{"input":10,"output":4,"accepted_prediction_tokens":2}' }));
    expect(event).toMatchObject({ input_tokens: 10, output_tokens: 4, total_tokens: 14 });
    expect(event.attributes).toHaveProperty(['langfuse.observation.usage_details']);
  });

  it('ignores malformed usage and cost without throwing', () => {
    const event = mapSpan(span({ 'langfuse.observation.usage_details': '{"input":', 'langfuse.observation.cost_details': 'free' }));
    expect(event).toMatchObject({ input_tokens: 0, usage_source: 'none', cost_usd: null, cost_source: 'none' });
    expect(event.attributes).toEqual({ 'langfuse.observation.usage_details': '{"input":', 'langfuse.observation.cost_details': 'free' });
  });

  it('does not match spans without langfuse.* attributes', () => {
    expect(langfuse.matches(span({ 'session.id': 's' }))).toBe(false);
  });
});

describe('langfuse-usage', () => {
  it('sums Anthropic-style cache buckets and reasoning into the OTel-style counts', () => {
    expect(langfuseUsage({
      input: 20, cache_read_input_tokens: 3900, cache_creation_input_tokens: 200, output: 147, output_reasoning_tokens: 64, total: null,
    })).toEqual({
      input_tokens: 4120, output_tokens: 211, cache_read_tokens: 3900, cache_write_tokens: 200, reasoning_tokens: 64, complete: true,
    });
  });

  it('totals the cost from its parts when no total is given', () => {
    expect(langfuseCost('{"input":0.25,"output":0.5}')).toBe(0.75);
    expect(langfuseCost({ total: 1.5, input: 1 })).toBe(1.5);
    expect(langfuseCost({ total: -1 })).toBeUndefined();
  });
});
