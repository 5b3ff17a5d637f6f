import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { hrTimeToMilliseconds } from '@opentelemetry/core';
import { observe } from './observe.ts';
import { recordGeneration } from './record-generation.ts';
import { startInMemoryTracing, type InMemoryTracing } from './testing/in-memory-tracing.ts';

let tracing: InMemoryTracing;
beforeEach(() => {
  tracing = startInMemoryTracing();
});
afterEach(async () => {
  await tracing.close();
});

describe('recordGeneration', () => {
  it('records a finished LLM span with current OTel GenAI attributes inside the active span', async () => {
    const start = new Date('2026-01-01T10:00:00Z');
    const ref = observe('agent', () =>
      recordGeneration({
        model: 'gpt-4o-mini',
        provider: 'OpenAI',
        input: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"France"}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: 'Paris' },
        ],
        output: 'Paris.',
        finishReason: 'stop',
        usage: { inputTokens: 120, outputTokens: 8, cacheReadTokens: 100, reasoningTokens: 2 },
        startTime: start,
        endTime: start.getTime() + 1500,
        timeToFirstTokenMs: 250,
      }), { type: 'agent' })();

    const span = await tracing.exportedSpan('chat gpt-4o-mini');
    const agent = await tracing.exportedSpan('agent');
    expect(ref).toEqual({ traceId: span.spanContext().traceId, spanId: span.spanContext().spanId });
    expect(span.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(hrTimeToMilliseconds(span.startTime)).toBe(start.getTime());
    expect(hrTimeToMilliseconds(span.duration)).toBe(1500);
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 120,
      'gen_ai.usage.output_tokens': 8,
      'gen_ai.usage.cache_read.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 2,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.time_to_first_chunk': 0.25,
    });
    expect(JSON.parse(span.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_1', name: 'lookup', arguments: { q: 'France' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'Paris' }] },
    ]);
    expect(JSON.parse(span.attributes['gen_ai.output.messages'] as string)).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' }]);
  });

  it('keeps messages already in the {role, parts} shape and records a failed call', async () => {
    recordGeneration({
      name: 'claude call',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
      input: [{ role: 'user', parts: [{ type: 'text', content: 'hi' }] }],
      error: new Error('overloaded'),
    });
    const span = await tracing.exportedSpan('claude call');
    expect(span.attributes['gen_ai.input.messages']).toBe('[{"role":"user","parts":[{"type":"text","content":"hi"}]}]');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'overloaded' });
    expect(span.events[0].name).toBe('exception');
  });
});
