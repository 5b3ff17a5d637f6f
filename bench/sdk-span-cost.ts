/**
 * SDK overhead, two ways:
 *
 * 1. CPU per LLM span from span start to export on the wire, for the Observa pipeline
 *    (ObservaSpanProcessor with redaction and truncation on) against a plain BatchSpanProcessor with the
 *    same OTLP/HTTP exporter, in the same process and run, interleaved so machine noise hits both
 *    (a first round of each warms the JIT and is not counted).
 * 2. CPU per real `openai` chat call traced by Observa against the same calls traced by Traceloop's
 *    SDK, each in a process of its own (see sdk/openai-call-cost.ts).
 *
 * The sink that receives the exports runs in another process, so only the app side is measured.
 */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ObservaSpanProcessor } from '../sdk/src/index.ts';
import { seededRandom, text } from './random.ts';
import { openaiCallCost } from './sdk/openai-call-cost.ts';
import { startSink } from './sink.ts';
import { median, type Figure } from './table.ts';

const SPANS = Number(process.env.BENCH_SDK_SPANS ?? 5000);
const ROUNDS = Number(process.env.BENCH_SDK_ROUNDS ?? 7);
const BATCH = { maxQueueSize: SPANS * 2, maxExportBatchSize: 512, scheduledDelayMillis: 50 };

/** Realistic LLM spans: 1-8 KB prompts and answers, 20-40 attributes, fixed seed. */
function spanInputs(count: number) {
  const random = seededRandom(42);
  return Array.from({ length: count }, (_, i) => {
    const attributes: Record<string, string | number | boolean> = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': 100 + (i % 900),
      'gen_ai.usage.output_tokens': 20 + (i % 300),
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text(random, 1024 + random() * 7168) }] }]),
      'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: text(random, 512 + random() * 3584) }], finish_reason: 'stop' }]),
    };
    const extra = 12 + Math.floor(random() * 20);
    for (let k = 0; k < extra; k++) attributes[`app.attribute_${k}`] = k % 3 === 0 ? random() : text(random, 16 + random() * 48);
    return attributes;
  });
}

async function cpuPerSpan(processor: SpanProcessor, inputs: ReturnType<typeof spanInputs>): Promise<number> {
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('bench');
  const before = process.cpuUsage();
  for (const attributes of inputs) tracer.startSpan('chat gpt-4o-mini', { attributes }).end();
  await provider.forceFlush();
  const used = process.cpuUsage(before);
  await provider.shutdown();
  return (used.user + used.system) / inputs.length; // microseconds
}

async function processorCost(): Promise<Figure> {
  const sink = await startSink();
  const inputs = spanInputs(SPANS);
  const pipelines = {
    plain: () => new BatchSpanProcessor(new OTLPTraceExporter({ url: `${sink.url}/v1/traces` }), BATCH),
    observa: () => new ObservaSpanProcessor({ endpoint: sink.url, apiKey: 'bench', batch: BATCH }),
  };
  const cpu = { plain: [] as number[], observa: [] as number[] };
  try {
    trace.disable();
    for (let round = 0; round <= ROUNDS; round++) {
      const order = round % 2 === 0 ? (['plain', 'observa'] as const) : (['observa', 'plain'] as const);
      for (const name of order) {
        const used = await cpuPerSpan(pipelines[name](), inputs);
        if (round > 0) cpu[name].push(used);
      }
    }
    const received = await sink.stats();
    const expected = SPANS * 2 * (ROUNDS + 1);
    if (received.spans !== expected) throw new Error(`the sink received ${received.spans} spans, expected ${expected}`);
  } finally {
    sink.stop();
  }
  return {
    name: `SDK CPU per LLM span (${SPANS} spans, 1-8 KB messages, redaction on)`,
    unit: 'us/span', value: median(cpu.observa), baselineName: 'BatchSpanProcessor + OTLP/HTTP exporter', baseline: median(cpu.plain), higherIsBetter: false,
  };
}

export async function sdkSpanCost(): Promise<Figure[]> {
  return [await processorCost(), ...(await openaiCallCost())];
}
