/**
 * The other ways in, on a collector process (embedded stores, default settings), each against the OTLP/HTTP
 * path it mirrors, probes interleaved:
 * - log join: from the acknowledgement of the later of a chat span and its GenAI log records (sent by the
 *   real OTLP log exporter) until the span reads back with its messages, against a span alone until it reads
 *   back. The join waits for the span to be shipped, then writes it again: the ratio is that wait.
 * - OTLP/gRPC: one export of an LLM trace by the real gRPC exporter against the same trace by the OTLP/HTTP
 *   protobuf exporter.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Metadata } from '@grpc/grpc-js';
import { SpanKind, context, trace, type Span } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as HttpTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { freePort, startCollectorProcess } from '../collector/src/testing/collector-process.ts';
import { seededRandom } from './random.ts';
import { percentile, type Figure } from './table.ts';
import { llmTraces, withFreshIds } from './workload/llm-traces.ts';

const PROBES = 30;
const GIVE_UP_MS = 30_000;

export async function waysIn(): Promise<Figure[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-bench-ways-'));
  const grpcPort = await freePort();
  const collector = await startCollectorProcess({ OBSERVA_DATA_DIR: dataDir, OBSERVA_ADMIN_PASSWORD: 'bench-password', OBSERVA_GRPC_PORT: String(grpcPort) });
  const apiKey = /^OBSERVA_API_KEY=(.+)$/m.exec(collector.output())![1];
  const headers = { authorization: `Bearer ${apiKey}` };
  try {
    return [...(await logJoin(collector.url, headers)), ...(await grpcExport(collector.url, grpcPort, apiKey))];
  } finally {
    await collector.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function logJoin(url: string, headers: Record<string, string>): Promise<Figure[]> {
  const traces = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new HttpTraceExporter({ url: `${url}/v1/traces`, headers }))] });
  const logs = new LoggerProvider({ processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${url}/v1/logs`, headers }) })] });
  const tracer = traces.getTracer('bench');
  const logger = logs.getLogger('opentelemetry.instrumentation.openai');
  const chatSpan = () => tracer.startSpan('chat gpt-4o-mini', {
    kind: SpanKind.CLIENT,
    attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 30, 'gen_ai.usage.output_tokens': 8 },
  });
  const sendSpan = async (span: Span) => {
    span.end();
    await traces.forceFlush();
  };
  const sendRecords = async (span: Span, i: number) => {
    const inSpan = trace.setSpan(context.active(), span);
    logger.emit({ eventName: 'gen_ai.system.message', body: { content: 'Answer briefly.' }, context: inSpan });
    logger.emit({ eventName: 'gen_ai.user.message', body: { content: `Question ${i}: what is OTLP?` }, context: inSpan });
    logger.emit({ eventName: 'gen_ai.choice', body: { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'A protocol.' } }, context: inSpan });
    await logs.forceFlush();
  };
  const visible = (span: Span, done: (s: { output: unknown }) => boolean) => waitFor(url, headers, span.spanContext().traceId, done);
  const delays = { alone: [] as number[], spanFirst: [] as number[], logsFirst: [] as number[] };
  try {
    for (let i = 0; i < PROBES; i++) {
      const alone = chatSpan();
      await sendSpan(alone);
      delays.alone.push(await visible(alone, () => true));

      const spanFirst = chatSpan();
      await sendSpan(spanFirst);
      await visible(spanFirst, () => true); // stored and shipped before its records come
      await sendRecords(spanFirst, i);
      delays.spanFirst.push(await visible(spanFirst, (s) => s.output !== null));

      const logsFirst = chatSpan();
      await sendRecords(logsFirst, i);
      await sendSpan(logsFirst);
      delays.logsFirst.push(await visible(logsFirst, (s) => s.output !== null));
    }
  } finally {
    await Promise.all([traces.shutdown(), logs.shutdown()]);
  }
  const figure = (name: string, values: number[], p: number): Figure => ({
    name: `${name} p${p}`, unit: 'ms', value: percentile(values, p), baselineName: `span alone, ack -> readable p${p}`, baseline: percentile(delays.alone, p), higherIsBetter: false,
  });
  // The maximum too: a join that stalls (a lock, a back-off) hides below p95 in 30 probes.
  return [50, 95, 100].flatMap((p) => [
    figure('log join, records after span: ack -> messages readable', delays.spanFirst, p),
    figure('log join, records before span: ack -> messages readable', delays.logsFirst, p),
  ]);
}

/** Milliseconds from now until the trace's first span is readable and `done` holds for it. */
async function waitFor(url: string, headers: Record<string, string>, traceId: string, done: (span: { output: unknown }) => boolean): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < GIVE_UP_MS) {
    const response = await fetch(`${url}/api/v1/traces/${traceId}`, { headers });
    const body = response.ok ? ((await response.json()) as { spans: { output: unknown }[] }) : (await response.arrayBuffer(), null);
    if (body?.spans[0] && done(body.spans[0])) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  console.warn(`trace ${traceId} not readable as expected ${GIVE_UP_MS} ms after its acknowledgement`);
  return GIVE_UP_MS;
}

async function grpcExport(url: string, grpcPort: number, apiKey: string): Promise<Figure[]> {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${apiKey}`);
  const grpc = new GrpcTraceExporter({ url: `http://127.0.0.1:${grpcPort}`, metadata });
  const http = new HttpTraceExporter({ url: `${url}/v1/traces`, headers: { authorization: `Bearer ${apiKey}` } });
  const batch = llmTraces({ seed: 91, traces: 8 });
  const random = seededRandom(92);
  const times = { grpc: [] as number[], http: [] as number[] };
  try {
    for (let i = 0; i < PROBES * 2; i++) {
      for (const [name, exporter] of [['grpc', grpc], ['http', http]] as const) {
        const spans = withFreshIds(batch, random);
        const started = performance.now();
        await exportOrThrow(exporter, spans);
        if (i >= 5) times[name].push(performance.now() - started); // the first exports warm both paths up
      }
    }
  } finally {
    await Promise.all([grpc.shutdown(), http.shutdown()]);
  }
  return [50, 95].map((p) => ({
    name: `OTLP/gRPC export of ${batch.length} LLM spans p${p}`, unit: 'ms', value: percentile(times.grpc, p),
    baselineName: `OTLP/HTTP protobuf p${p}`, baseline: percentile(times.http, p), higherIsBetter: false,
  }));
}

function exportOrThrow(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) => exporter.export(spans, (r) => (r.code === ExportResultCode.SUCCESS ? resolve() : reject(r.error ?? new Error('export failed')))));
}
