/**
 * End to end over OTLP/gRPC: spans from the real OpenTelemetry SDK sent by the real
 * @opentelemetry/exporter-trace-otlp-grpc (plain and gzip; the key as `authorization` or
 * `x-observa-api-key` metadata) read back through the JSON API as complete canonical events, and GenAI
 * log events sent by @opentelemetry/exporter-logs-otlp-grpc complete their span.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata } from '@grpc/grpc-js';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { emitAgentTrace } from '../testing/agent-trace.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector({ env: { OBSERVA_LOG_JOIN_POLL_MS: '50' } });
}, 60_000);
afterAll(async () => {
  await collector?.close();
});

function metadata(entries: Record<string, string>): Metadata {
  const md = new Metadata();
  for (const [key, value] of Object.entries(entries)) md.set(key, value);
  return md;
}

/** The exporter, with every export's result kept: a refused export fails the test with its error, not a missing trace. */
function recording(exporter: SpanExporter): { exporter: SpanExporter; results: ExportResult[] } {
  const results: ExportResult[] = [];
  return {
    results,
    exporter: {
      export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => exporter.export(spans, (result) => (results.push(result), done(result))),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
    },
  };
}

describe.each([
  ['authorization metadata, gzip', () => ({ metadata: metadata({ authorization: `Bearer ${collector.apiKey}` }), compression: CompressionAlgorithm.GZIP })],
  ['x-observa-api-key metadata, uncompressed', () => ({ metadata: metadata({ 'x-observa-api-key': collector.apiKey }), compression: CompressionAlgorithm.NONE })],
])('OTLP/gRPC trace exporter with %s', (label, options) => {
  it('delivers an agent trace that reads back as complete canonical events', async () => {
    const { exporter, results } = recording(new OTLPTraceExporter({ url: `http://${collector.grpcUrl}`, ...options() }));
    const traceId = await emitAgentTrace(exporter, label, 'e2e-grpc');
    expect(results.map((r) => r.error?.message ?? r.code)).toEqual([ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);
    await collector.shipped();

    const detail = await (await collector.request(`/api/v1/traces/${traceId}`)).json() as any;
    expect(detail.trace).toMatchObject({
      trace_id: traceId, name: `agent ${label}`, span_count: 2, llm_call_count: 1, input_tokens: 120, output_tokens: 30, total_tokens: 150,
      session_id: `session-${label}`, user_id: 'user-42', models: ['gpt-4o-2024-08-06'], service_name: `svc-${label}`, environment: 'test', status: 'ok',
    });
    expect(detail.trace.total_cost_usd).toBeGreaterThan(0);
    expect(detail.spans.map((s: { name: string }) => s.name)).toEqual([`agent ${label}`, 'chat gpt-4o']);
    const [agent, chat] = detail.spans;
    // Session and user are the agent span's attributes; the trace summary above carries them for the whole trace.
    expect(agent).toMatchObject({ type: 'agent', session_id: `session-${label}`, user_id: 'user-42', service_name: `svc-${label}`, environment: 'test' });
    expect(chat).toMatchObject({
      type: 'llm', provider: 'openai', model: 'gpt-4o-2024-08-06', input_tokens: 120, output_tokens: 30, total_tokens: 150, cache_read_tokens: 100, usage_source: 'reported',
      parent_span_id: agent.span_id, tenant_id: collector.tenantId, project_id: collector.projectId, status: 'ok', span_kind: 'client', scope_name: 'e2e-grpc',
    });
    expect(chat.cost_usd).toBeCloseTo(detail.trace.total_cost_usd, 12);
    expect(chat.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: `What is the capital of France? (${label})` }] }]);
    expect(chat.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' }]);
  });
});

describe('OTLP/gRPC logs exporter', () => {
  it('GenAI log events complete the chat span they were emitted in', async () => {
    const resource = resourceFromAttributes({ 'service.name': 'grpc-bot' });
    const grpcOptions = () => ({ url: `http://${collector.grpcUrl}`, metadata: metadata({ authorization: `Bearer ${collector.apiKey}` }), compression: CompressionAlgorithm.GZIP });
    const traces = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter(grpcOptions()))] });
    const logResults: ExportResult[] = [];
    const logExporter = new OTLPLogExporter(grpcOptions());
    const recordingLogs: LogRecordExporter = {
      export: (records, done) => logExporter.export(records, (result) => (logResults.push(result), done(result))),
      shutdown: () => logExporter.shutdown(),
      forceFlush: () => logExporter.forceFlush(),
    };
    const logs = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: recordingLogs })] });

    // A chat span with model and usage but no messages, as instrumentations of semconv 1.28-1.36 emit it.
    const span = traces.getTracer('opentelemetry.instrumentation.openai', '0.40.0').startSpan('chat gpt-4o-mini', {
      kind: SpanKind.CLIENT,
      attributes: { 'gen_ai.system': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 24, 'gen_ai.usage.output_tokens': 2 },
    });
    const logger = logs.getLogger('opentelemetry.instrumentation.openai', '0.40.0');
    const inSpan = trace.setSpan(context.active(), span);
    logger.emit({ eventName: 'gen_ai.user.message', body: { content: 'Capital of France, in one word?' }, attributes: { 'gen_ai.system': 'openai' }, context: inSpan });
    logger.emit({ eventName: 'gen_ai.choice', body: { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Paris.' } }, attributes: { 'gen_ai.system': 'openai' }, context: inSpan });
    span.end();
    await Promise.all([traces.forceFlush(), logs.forceFlush()]);
    expect(logResults.map((r) => r.error?.message ?? r.code)).toEqual([ExportResultCode.SUCCESS]);

    const traceId = span.spanContext().traceId;
    const deadline = Date.now() + 15_000;
    let chat: any = null;
    while (!(chat?.input && chat?.output)) {
      if (Date.now() > deadline) throw new Error(`the span was not completed by its log events: ${JSON.stringify(chat)}`);
      await collector.shipped();
      const response = await collector.request(`/api/v1/traces/${traceId}`);
      chat = response.status === 200 ? ((await response.json()) as any).spans[0] : null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(chat).toMatchObject({ type: 'llm', model: 'gpt-4o-mini', input_tokens: 24, output_tokens: 2, finish_reason: 'stop', service_name: 'grpc-bot' });
    expect(chat.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Capital of France, in one word?' }] }]);
    expect(chat.output).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' }]);
    await Promise.all([traces.shutdown(), logs.shutdown()]);
  });
});
