/**
 * End to end: GenAI log events (semconv 1.28-1.36: prompt and completion as OTLP log records) sent by
 * the real OpenTelemetry logs SDK and OTLP/HTTP log exporters (JSON and protobuf) complete their span,
 * whether the span or its records arrive first; other log records become events of their span; records
 * without a trace and OTLP metrics get clear refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanKind, context, trace, type Context } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { addMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector({ env: { OBSERVA_LOG_JOIN_POLL_MS: '50' } });
});
afterAll(async () => {
  await collector?.close();
});

const resource = resourceFromAttributes({ 'service.name': 'support-bot' });

function tracerProvider() {
  const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers: { authorization: `Bearer ${collector.apiKey}` } });
  return new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(exporter)] });
}

/** Batched, as apps export logs: one request carries a call's records in the order they were emitted. */
function loggerProvider(exporter: LogRecordExporter) {
  return new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter })] });
}

/** What an OpenAI instrumentation of semconv 1.28-1.36 emits for one chat call, inside the call's span. */
function emitChatEvents(provider: LoggerProvider, inSpan: Context, question: string) {
  const logger = provider.getLogger('opentelemetry.instrumentation.openai', '0.40.0');
  const attributes = { 'gen_ai.system': 'openai' };
  logger.emit({ eventName: 'gen_ai.system.message', body: { content: 'Answer in one word.' }, attributes, context: inSpan });
  logger.emit({ eventName: 'gen_ai.user.message', body: { content: question }, attributes, context: inSpan });
  logger.emit({
    eventName: 'gen_ai.choice',
    body: { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Paris.' } },
    attributes, context: inSpan,
  });
  logger.emit({ severityNumber: SeverityNumber.WARN, severityText: 'WARN', body: 'rate limited once; retried', context: inSpan });
}

/** A chat span with model and usage but, as these instrumentations do, no messages. */
function startChatSpan(provider: BasicTracerProvider) {
  const tracer = provider.getTracer('opentelemetry.instrumentation.openai', '0.40.0');
  return tracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.system': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': 24, 'gen_ai.usage.output_tokens': 2, 'session.id': 'logs-session',
    },
  });
}

/** Polls the trace until `done` holds: the join runs in the background once the span is stored. */
async function traceWhen(traceId: string, done: (detail: any) => boolean): Promise<any> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await collector.request(`/api/v1/traces/${traceId}`);
    const detail: any = response.status === 200 ? await response.json() : null;
    if (detail && done(detail)) return detail;
    if (Date.now() > deadline) throw new Error(`trace ${traceId} did not reach the expected state: ${JSON.stringify(detail?.spans?.[0]?.input ?? detail)}`);
    await collector.shipped();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const completed = (detail: any) => detail.spans[0]?.input !== null && detail.spans[0]?.output !== null;

function expectCompleteChat(detail: any, question: string) {
  expect(detail.spans).toHaveLength(1);
  const chat = detail.spans[0];
  expect(chat).toMatchObject({
    type: 'llm', provider: 'openai', model: 'gpt-4o-mini-2024-07-18', input_tokens: 24, output_tokens: 2, total_tokens: 26,
    usage_source: 'reported', finish_reason: 'stop', session_id: 'logs-session', service_name: 'support-bot',
  });
  expect(chat.cost_usd).toBeGreaterThan(0);
  expect(chat.input).toEqual([
    { role: 'system', parts: [{ type: 'text', content: 'Answer in one word.' }] },
    { role: 'user', parts: [{ type: 'text', content: question }] },
  ]);
  expect(chat.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' }]);
  // The records are the span's events too; the plain log keeps its body and severity.
  expect(chat.events.map((e: { name: string }) => e.name)).toEqual(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.choice', 'log']);
  expect(chat.events[3].attributes).toMatchObject({ 'log.body': 'rate limited once; retried', 'log.severity_text': 'WARN', 'log.severity_number': SeverityNumber.WARN });
  // Counted once: the summary's usage is the span's, and the preview comes from the joined messages.
  expect(detail.trace).toMatchObject({ span_count: 1, llm_call_count: 1, input_tokens: 24, output_tokens: 2, input_preview: question, output_preview: 'Paris.' });
}

describe.each([
  ['JSON', () => new JsonLogExporter({ url: `${collector.url}/v1/logs`, headers: { authorization: `Bearer ${collector.apiKey}` } })],
  ['protobuf', () => new ProtoLogExporter({ url: `${collector.url}/v1/logs`, headers: { 'x-observa-api-key': collector.apiKey } })],
])('GenAI log events over OTLP/HTTP %s', (label, makeExporter) => {
  it('complete a span that arrived before them', async () => {
    const traces = tracerProvider();
    const span = startChatSpan(traces);
    span.end();
    await traces.forceFlush();
    await collector.shipped();
    const before = await (await collector.request(`/api/v1/traces/${span.spanContext().traceId}`)).json() as any;
    expect(before.spans[0].input).toBeNull(); // the span alone has no messages

    const logs = loggerProvider(makeExporter());
    const question = `What is the capital of France? (span first, ${label})`;
    emitChatEvents(logs, trace.setSpan(context.active(), span), question);
    await logs.forceFlush();
    expectCompleteChat(await traceWhen(span.spanContext().traceId, completed), question);
    await Promise.all([traces.shutdown(), logs.shutdown()]);
  });

  it('complete a span that arrives after them', async () => {
    const traces = tracerProvider();
    const span = startChatSpan(traces);
    const logs = loggerProvider(makeExporter());
    const question = `What is the capital of France? (logs first, ${label})`;
    emitChatEvents(logs, trace.setSpan(context.active(), span), question);
    await logs.forceFlush();
    const health = await (await fetch(`${collector.url}/healthz`)).json() as { log_records_waiting: { records: number } };
    expect(health.log_records_waiting.records).toBeGreaterThanOrEqual(4); // this call's records wait for its span
    span.end();
    await traces.forceFlush();
    expectCompleteChat(await traceWhen(span.spanContext().traceId, completed), question);
    await Promise.all([traces.shutdown(), logs.shutdown()]);
  });
});

describe('other signals and records', () => {
  it('joins a record re-sent by a retrying exporter once', async () => {
    const traces = tracerProvider();
    const span = startChatSpan(traces);
    span.end();
    await traces.forceFlush();
    const { traceId, spanId } = span.spanContext();
    const body = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1700000000000000000', eventName: 'gen_ai.user.message', traceId, spanId, body: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'once' } }] } } }] }] }],
    });
    for (let i = 0; i < 2; i++) {
      const response = await collector.request('/v1/logs', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
    }
    const detail = await traceWhen(traceId, (d) => d.spans[0]?.input !== null);
    expect(detail.spans[0].input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'once' }] }]);
    expect(detail.spans[0].events).toHaveLength(1);
    await traces.shutdown();
  });

  it('turns an evaluator\'s gen_ai.evaluation.result event into a score of the evaluated span', async () => {
    const traces = tracerProvider();
    const span = startChatSpan(traces);
    span.end();
    await traces.forceFlush();
    const logs = loggerProvider(new ProtoLogExporter({ url: `${collector.url}/v1/logs`, headers: { authorization: `Bearer ${collector.apiKey}` } }));
    logs.getLogger('my-evaluator').emit({
      eventName: 'gen_ai.evaluation.result', context: trace.setSpan(context.active(), span),
      attributes: { 'gen_ai.evaluation.name': 'faithfulness', 'gen_ai.evaluation.score.value': 0.4, 'gen_ai.evaluation.explanation': 'Cites no source.' },
    });
    await logs.forceFlush();
    const { traceId, spanId } = span.spanContext();
    const scores = await (await collector.request(`/api/v1/scores?trace_id=${traceId}`)).json() as { data: object[] };
    expect(scores.data).toEqual([expect.objectContaining({
      trace_id: traceId, span_id: spanId, name: 'faithfulness', data_type: 'numeric', value: 0.4, comment: 'Cites no source.', source: 'otel',
    })]);
    await Promise.all([traces.shutdown(), logs.shutdown()]);
  });

  it('deleting a trace removes its log records with it (they hold prompt text)', async () => {
    const traces = tracerProvider();
    const span = startChatSpan(traces);
    const logs = loggerProvider(new JsonLogExporter({ url: `${collector.url}/v1/logs`, headers: { authorization: `Bearer ${collector.apiKey}` } }));
    emitChatEvents(logs, trace.setSpan(context.active(), span), 'to be deleted');
    await logs.forceFlush();
    span.end();
    await traces.forceFlush();
    const { traceId } = span.spanContext();
    await traceWhen(traceId, completed);
    const admin = await addMember(collector, { role: 'admin' });
    const { status, body } = await callApi(collector, 'DELETE', `/api/v1/traces/${traceId}`, { token: admin.token });
    expect(status).toBe(202);
    expect(body.removed).toMatchObject({ traces: 1, seen_spans: 1, log_records: 4 });
    expect(await collector.db('span_log_records').where({ trace_id: traceId })).toEqual([]);
    await Promise.all([traces.shutdown(), logs.shutdown()]);
  });

  it('refuses a record without a trace through partial success, keeping the others', async () => {
    const body = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [
        { body: { stringValue: 'no trace here' } },
        { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', body: { stringValue: 'kept for its span' } },
      ] }] }],
    });
    const response = await collector.request('/v1/logs', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: {
        rejectedLogRecords: '1',
        errorMessage: '1 log record(s) rejected: log record 0 has no trace_id: Observa keeps log records as events of their trace; emit it while a span is active',
      },
    });
  });

  it('answers OTLP metrics with a clear "not supported" that exporters do not retry', async () => {
    const response = await collector.request('/v1/metrics', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(501);
    const status = await response.json() as { code: number; message: string };
    expect(status.code).toBe(12); // UNIMPLEMENTED
    expect(status.message).toMatch(/^Observa does not accept OTLP metrics/);
  });
});
