import { describe, expect, it } from 'vitest';
import type { CanonicalEvent, CanonicalSpanEvent } from '../events/canonical-event.ts';
import { mapSpan } from '../mapping/map-span.ts';
import { SpanKind, type DecodedSpan } from '../otlp/span.ts';
import { FROM_LOGS_ATTRIBUTE, LOG_RECORD_MARK, OPERATION_DETAILS_EVENT, completeWithLogs } from './complete-with-logs.ts';

/** A 1.28-1.36 chat span: model and usage on the span, the messages sent as log events. */
function chatSpan(attributes: DecodedSpan['attributes'] = {}): CanonicalEvent {
  return mapSpan({
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', parentSpanId: '', traceState: '',
    name: 'chat gpt-4o-mini', kind: SpanKind.CLIENT, startTimeUnixNano: 1_700_000_000_000_000_000n, endTimeUnixNano: 1_700_000_001_000_000_000n,
    attributes: { 'gen_ai.system': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.output_tokens': 5, ...attributes },
    events: [], links: [], status: { code: 0, message: '' },
    resource: { attributes: { 'service.name': 'bot' } }, scope: { name: 'opentelemetry.instrumentation.openai', version: '0.1' },
  });
}

const at = (ms: number) => new Date(1_700_000_000_000 + ms).toISOString().replace('Z', '000000Z');
const record = (ms: number, name: string, attributes: Record<string, unknown>): CanonicalSpanEvent => ({ time: at(ms), name, attributes });

const system = record(1, 'gen_ai.system.message', { 'gen_ai.system': 'openai', content: 'You are terse.' });
const user = record(2, 'gen_ai.user.message', { 'gen_ai.system': 'openai', content: 'Capital of France?' });
const choice = record(900, 'gen_ai.choice', { 'gen_ai.system': 'openai', index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Paris.' } });

describe('completeWithLogs', () => {
  it('fills input and output from message events, keeping the span own model and usage', () => {
    const span = chatSpan();
    expect(span.input).toBeNull();
    const completed = completeWithLogs(span, [system, user, choice]);
    expect(completed.input).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Capital of France?' }] },
    ]);
    expect(completed.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' }]);
    expect(completed).toMatchObject({ model: 'gpt-4o-mini', input_tokens: 20, output_tokens: 5, usage_source: 'reported', finish_reason: 'stop' });
    expect(completed.attributes[FROM_LOGS_ATTRIBUTE]).toEqual(['finish_reason', 'input', 'output']);
    expect(completed.events.map((e) => [e.name, e.attributes[LOG_RECORD_MARK]])).toEqual([
      ['gen_ai.system.message', true], ['gen_ai.user.message', true], ['gen_ai.choice', true],
    ]);
    expect(span.input).toBeNull(); // the stored version is not changed in place
  });

  it('keeps messages the span carried itself', () => {
    const span = chatSpan({ 'gen_ai.prompt': 'from the span' });
    const completed = completeWithLogs(span, [user, choice]);
    expect(completed.input).toEqual(span.input);
    expect(completed.output?.[0].parts[0]).toEqual({ type: 'text', content: 'Paris.' });
  });

  it('recomputes what logs filled when more records of the span arrive later, without repeating events', () => {
    const first = completeWithLogs(chatSpan(), [user]);
    expect(first.output).toBeNull();
    const second = completeWithLogs(first, [system, user, choice]);
    expect(second.input?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(second.output?.[0].role).toBe('assistant');
    expect(second.events.filter((e) => e.name === 'gen_ai.user.message')).toHaveLength(1);
  });

  it('takes model, usage and messages from gen_ai.client.inference.operation.details for a bare span', () => {
    const bare = mapSpan({ ...spanShell(), attributes: {} });
    const details = record(500, OPERATION_DETAILS_EVENT, {
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4',
      'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 200,
      'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }],
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'Hello!' }], finish_reason: 'stop' }]),
    });
    const completed = completeWithLogs(bare, [details]);
    expect(completed).toMatchObject({
      type: 'llm', provider: 'anthropic', model: 'claude-sonnet-4', input_tokens: 1000, output_tokens: 200, total_tokens: 1200, usage_source: 'reported',
    });
    expect(completed.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
    expect(completed.output?.[0].parts[0]).toEqual({ type: 'text', content: 'Hello!' });
    expect(completed.attributes[FROM_LOGS_ATTRIBUTE]).toContain('usage');
  });

  it('keeps a usage the span reported over the one in operation details', () => {
    const details = record(500, OPERATION_DETAILS_EVENT, { 'gen_ai.usage.input_tokens': 1, 'gen_ai.usage.output_tokens': 1 });
    expect(completeWithLogs(chatSpan(), [details])).toMatchObject({ input_tokens: 20, output_tokens: 5 });
  });

  it('keeps other log records as span events, fields untouched', () => {
    const span = chatSpan();
    const log = record(3, 'log', { 'log.body': 'retrying request', 'log.severity_text': 'WARN' });
    const completed = completeWithLogs(span, [log]);
    expect(completed.input).toBeNull();
    expect(completed.events).toEqual([{ ...log, attributes: { ...log.attributes, [LOG_RECORD_MARK]: true } }]);
    expect(completed.attributes[FROM_LOGS_ATTRIBUTE]).toBeUndefined();
  });
});

function spanShell(): DecodedSpan {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'c7ad6b7169203331', parentSpanId: 'b7ad6b7169203331', traceState: '',
    name: 'chat', kind: SpanKind.CLIENT, startTimeUnixNano: 1_700_000_000_000_000_000n, endTimeUnixNano: 1_700_000_001_000_000_000n,
    attributes: {}, events: [], links: [], status: { code: 0, message: '' }, resource: { attributes: {} }, scope: { name: 's', version: '' },
  };
}
