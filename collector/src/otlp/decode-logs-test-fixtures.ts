/**
 * Test-only: real OpenTelemetry SDK log records (and their expected decoded form) shared by the log decoder
 * tests, so both decoders are checked against what the real serializers put on the wire.
 */
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { expect } from 'vitest';
import type { DecodedLogs } from './log-record.ts';

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN_ID = '00f067aa0ba902b7';
export const OTHER_SPAN_ID = 'a3ce929d0e0e4736';

/** A gen_ai.choice event body: a kvlist with nested kvlists and an array of kvlists. */
export const CHOICE_BODY = {
  index: 0,
  finish_reason: 'tool_calls',
  message: {
    role: 'assistant',
    content: 'Let me check the weather.',
    tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ],
  },
};

/** A body holding what OTLP allows beyond JSON: int64 past 2^53, bytes, null, mixed arrays. */
export const WIDE_BODY = {
  big: 2 ** 60,
  negBig: -(2 ** 60),
  maxSafe: Number.MAX_SAFE_INTEGER,
  ratio: 0.5,
  ok: true,
  nothing: null,
  bytes: Uint8Array.from([0, 1, 254, 255]),
  mixed: ['s', 2, [3, [4]], { k: 'v' }],
};

/** What WIDE_BODY decodes to: int64 beyond 2^53 as bigint, the rest as sent. */
export const WIDE_BODY_DECODED = { ...WIDE_BODY, big: 2n ** 60n, negBig: -(2n ** 60n) };

/**
 * Records emitted through a LoggerProvider: two scopes; event name from field 12, from the `event.name`
 * attribute, and both (the field wins); a structured gen_ai body; trace context from the given Context.
 */
export function sdkLogRecords(): ReadableLogRecord[] {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'chatbot', 'host.cores': 8 }, { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const sampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });
  const unsampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: OTHER_SPAN_ID, traceFlags: TraceFlags.NONE });
  const genAi = provider.getLogger('gen-ai-lib', '2.0.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.28.0', attributes: { 'lib.kind': 'llm' } });
  genAi.emit({
    eventName: 'gen_ai.choice',
    body: CHOICE_BODY,
    attributes: { 'gen_ai.system': 'openai' },
    context: sampled,
    timestamp: [1_700_000_000, 123_456_789],
    observedTimestamp: [1_700_000_000, 223_456_789],
    severityNumber: SeverityNumber.INFO,
    severityText: 'INFO',
  });
  genAi.emit({
    body: { content: 'What is the weather in Paris?' },
    attributes: { 'event.name': 'gen_ai.user.message', 'gen_ai.system': 'openai' },
    context: unsampled,
    timestamp: [1_700_000_001, 0],
    observedTimestamp: [1_700_000_001, 1],
    severityNumber: SeverityNumber.WARN3,
  });
  genAi.emit({
    eventName: 'field.wins',
    body: 'plain text\nsecond line ✓',
    attributes: { 'event.name': 'attribute.loses' },
    context: sampled,
    timestamp: [1_700_000_002, 0],
    observedTimestamp: [1_700_000_002, 0],
  });
  const other = provider.getLogger('other-lib');
  other.emit({ body: WIDE_BODY, timestamp: [1_700_000_003, 0], observedTimestamp: [1_700_000_003, 5] });
  other.emit({ body: Uint8Array.from([0xde, 0xad, 0xbe, 0xef]), timestamp: [1_700_000_004, 0], observedTimestamp: [1_700_000_004, 0] });
  other.emit({ body: 2 ** 62, timestamp: [1_700_000_005, 0], observedTimestamp: [1_700_000_005, 0] });
  other.emit({ severityText: 'DEBUG', timestamp: [1_700_000_006, 0], observedTimestamp: [1_700_000_006, 0] });
  return exporter.getFinishedLogRecords();
}

/**
 * A ReadableLogRecord built by hand, for what the SDK refuses to emit (its LogRecord drops an invalid span
 * context): ids of the wrong length, all-zero ids. `scope` picks the instrumentation scope by name.
 */
export function handBuiltLogRecord(body: string, traceId: string, spanId: string, scope = 'hand-built'): ReadableLogRecord {
  return {
    hrTime: [1_700_000_000, 0],
    hrTimeObserved: [1_700_000_000, 0],
    spanContext: { traceId, spanId, traceFlags: TraceFlags.SAMPLED },
    body,
    resource: HAND_BUILT_RESOURCE,
    instrumentationScope: scopeNamed(scope),
    attributes: {},
    droppedAttributesCount: 0,
  };
}

const HAND_BUILT_RESOURCE = resourceFromAttributes({ 'service.name': 'hand-built' });
const scopes = new Map<string, ReadableLogRecord['instrumentationScope']>();
/** The serializers group records by scope object identity: one object per name. */
function scopeNamed(name: string): ReadableLogRecord['instrumentationScope'] {
  let scope = scopes.get(name);
  if (scope === undefined) scopes.set(name, (scope = { name }));
  return scope;
}

/** Asserts that `decoded` is exactly what `sdkLogRecords()` emitted: every field of every record, shared resource and scopes. */
export function expectSdkLogsDecoded(decoded: DecodedLogs): void {
  expect(decoded.rejected).toEqual([]);
  const [choice, user, both, wide, bytes, int, bare] = decoded.records;
  expect(decoded.records).toHaveLength(7);

  const resource = { attributes: { 'service.name': 'chatbot', 'host.cores': 8 }, schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' };
  const genAiScope = { name: 'gen-ai-lib', version: '2.0.0', attributes: { 'lib.kind': 'llm' }, schemaUrl: 'https://opentelemetry.io/schemas/1.28.0' };
  expect(choice).toEqual({
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    timeUnixNano: 1_700_000_000_123_456_789n,
    observedTimeUnixNano: 1_700_000_000_223_456_789n,
    severityNumber: 9, // INFO
    severityText: 'INFO',
    eventName: 'gen_ai.choice',
    body: CHOICE_BODY,
    attributes: { 'gen_ai.system': 'openai' },
    flags: 1, // sampled
    resource,
    scope: genAiScope,
  });
  expect(user).toMatchObject({
    traceId: TRACE_ID,
    spanId: OTHER_SPAN_ID,
    timeUnixNano: 1_700_000_001_000_000_000n,
    observedTimeUnixNano: 1_700_000_001_000_000_001n,
    severityNumber: 15, // WARN3
    severityText: '',
    eventName: 'gen_ai.user.message', // from the attribute, which stays
    body: { content: 'What is the weather in Paris?' },
    attributes: { 'event.name': 'gen_ai.user.message', 'gen_ai.system': 'openai' },
    flags: 0,
  });
  expect(both).toMatchObject({ eventName: 'field.wins', attributes: { 'event.name': 'attribute.loses' }, body: 'plain text\nsecond line ✓' });

  expect(wide).toMatchObject({ traceId: '', spanId: '', flags: 0, severityNumber: 0, eventName: '', attributes: {} });
  expect(wide.body).toEqual(WIDE_BODY_DECODED);
  const wideBody = wide.body as Record<string, unknown>;
  expect(wideBody.big).toBe(2n ** 60n);
  expect(wideBody.bytes).toBeInstanceOf(Uint8Array);
  expect(bytes.body).toEqual(Uint8Array.from([0xde, 0xad, 0xbe, 0xef]));
  expect(bytes.body).toBeInstanceOf(Uint8Array);
  expect(int.body).toBe(2n ** 62n);
  expect(bare).toMatchObject({ body: null, severityText: 'DEBUG', timeUnixNano: 1_700_000_006_000_000_000n });

  // One resource object per ResourceLogs and one scope object per ScopeLogs, shared by their records.
  expect(decoded.records.every((r) => r.resource === choice.resource)).toBe(true);
  expect(user.scope).toBe(choice.scope);
  expect(both.scope).toBe(choice.scope);
  expect(wide.scope).toEqual({ name: 'other-lib', version: '', attributes: {}, schemaUrl: '' });
  expect(wide.scope).not.toBe(choice.scope);
  expect([bytes, int, bare].every((r) => r.scope === wide.scope)).toBe(true);
}
