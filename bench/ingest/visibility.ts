/**
 * Acknowledgement to visible: while a load runs, a probe exports one small trace at a time with the real
 * exporter and, from the moment its export is acknowledged, polls `GET /api/v1/traces/:id` (spans come
 * from the analytics store) until every span is there. The delay is what a user waits to see a trace.
 */
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { seededRandom } from '../random.ts';
import { llmTraces, withFreshIds } from '../workload/llm-traces.ts';
import type { Target } from './targets.ts';

/** Each poll is a Postgres and an analytics query on the collector: often enough to resolve a 2 s target, rarely enough not to load it. */
const POLL_MS = 50;
const GIVE_UP_MS = 30_000;

export async function probeVisibility(target: Target, options: { probes: number; everyMs: number }): Promise<number[]> {
  const exporter = new OTLPTraceExporter({ url: `${target.url}/v1/traces`, headers: { authorization: `Bearer ${target.apiKey}` } });
  const trace = llmTraces({ seed: 77, traces: 1 });
  const random = seededRandom(78);
  const delays: number[] = [];
  try {
    for (let i = 0; i < options.probes; i++) {
      const started = Date.now();
      const spans = withFreshIds(trace, random);
      await exportOrThrow(exporter, spans);
      delays.push(await msUntilReadable(target, spans[0].spanContext().traceId, (read) => read.length === spans.length, POLL_MS));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, options.everyMs - (Date.now() - started))));
    }
  } finally {
    await exporter.shutdown();
  }
  return delays;
}

export function exportOrThrow(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) => exporter.export(spans, (r) => (r.code === ExportResultCode.SUCCESS ? resolve() : reject(r.error ?? new Error('export failed')))));
}

/**
 * Milliseconds from now (the acknowledgement) until `GET /api/v1/traces/:id` answers with spans for
 * which `ready` holds; GIVE_UP_MS when it never did (counted as that, so a percentile cannot hide it).
 */
export async function msUntilReadable(target: Target, traceId: string, ready: (spans: { output: unknown }[]) => boolean, pollMs: number): Promise<number> {
  const acknowledged = performance.now();
  while (performance.now() - acknowledged < GIVE_UP_MS) {
    const response = await fetch(`${target.url}/api/v1/traces/${traceId}`, { headers: { authorization: `Bearer ${target.apiKey}` } });
    if (!response.ok) await response.arrayBuffer();
    else if (ready(((await response.json()) as { spans: { output: unknown }[] }).spans)) return performance.now() - acknowledged;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  console.warn(`trace ${traceId} not readable as expected ${GIVE_UP_MS} ms after its acknowledgement`);
  return GIVE_UP_MS;
}
