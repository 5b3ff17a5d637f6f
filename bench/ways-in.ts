/**
 * The other ways in, on a collector process (embedded stores, default settings), each against the OTLP/HTTP
 * path it mirrors, probes interleaved:
 * - log join: from the acknowledgement of the later of a chat span and its GenAI log records (sent by the
 *   real OTLP log exporter) until the span reads back with its messages, against a span alone until it reads
 *   back. The join waits for the span to be shipped, then writes it again: the ratio is that wait.
 * - OTLP/gRPC: one export of an LLM trace by the real gRPC exporter against the same trace by the OTLP/HTTP
 *   protobuf exporter.
 */
import { Metadata } from '@grpc/grpc-js';
import { SpanKind, context, trace, type Span } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as HttpTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { freePort } from '../collector/src/testing/collector-process.ts';
import { startBenchCollector, type Target } from './ingest/targets.ts';
import { exportOrThrow, msUntilReadable } from './ingest/visibility.ts';
import { seededRandom } from './random.ts';
import { percentile, type Figure } from './table.ts';
import { llmTraces, withFreshIds } from './workload/llm-traces.ts';

const PROBES = 30;
/** Nothing else loads the collector here: poll often, to resolve delays of a few tens of ms. */
const POLL_MS = 5;

export async function waysIn(): Promise<Figure[]> {
  const grpcPort = await freePort();
  const collector = await startBenchCollector('embedded', { OBSERVA_GRPC_PORT: String(grpcPort) });
  try {
    return [...(await logJoin(collector)), ...(await grpcExport(collector, grpcPort))];
  } finally {
    await collector.stop();
  }
}

async function logJoin(collector: Target): Promise<Figure[]> {
  const url = collector.url;
  const headers = { authorization: `Bearer ${collector.apiKey}` };
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
  /** Milliseconds until the span reads back and `done` holds for it. */
  const visible = (span: Span, done: (s: { output: unknown }) => boolean) =>
    msUntilReadable(collector, span.spanContext().traceId, ([read]) => read !== undefined && done(read), POLL_MS);
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

async function grpcExport({ url, apiKey }: Target, grpcPort: number): Promise<Figure[]> {
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
