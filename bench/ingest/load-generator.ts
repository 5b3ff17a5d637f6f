/**
 * One load-generator process for the ingest bench: `exporters` OTLP/HTTP protobuf exporters (the SDK's
 * transport, encoding done once: prepared-exporter.ts), each exporting batches of 512 spans of the LLM
 * workload under fresh ids, one request in flight each, as BatchSpanProcessors do. Optionally paced to
 * `spansPerSecond` in total.
 *
 * Usage: node --import tsx bench/ingest/load-generator.ts '<LoadOptions as JSON>'
 * Prints `{"ready":true}` once its workload is built, then waits for a line `{"startAt":<epoch ms>}` on
 * stdin (so several processes start together) and prints its LoadReport when done.
 */
import { once } from 'node:events';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { llmTraces } from '../workload/llm-traces.ts';
import { prepareBatch, PreparedBatchExporter, type PreparedBatch } from './prepared-exporter.ts';

export interface LoadOptions {
  url: string;
  apiKey: string;
  exporters: number;
  seed: number;
  seconds: number;
  /** 0: as fast as answers come. */
  spansPerSecond: number;
}

export interface LoadReport {
  /** Spans acknowledged in each second since startAt. */
  acknowledgedPerSecond: number[];
  failedSpans: number;
  /** Milliseconds from export() to its result, successful exports only. */
  exportMs: number[];
  firstError?: string;
}

export const BATCH_SPANS = 512;
const WORKLOAD_TRACES = 300;

const options = JSON.parse(process.argv[2]) as LoadOptions;
const workload = llmTraces({ seed: options.seed, traces: WORKLOAD_TRACES });
const prepared = packWholeTraces(workload).map(prepareBatch);
const report: LoadReport = { acknowledgedPerSecond: Array(options.seconds).fill(0), failedSpans: 0, exportMs: [] };

/** Batches of at most BATCH_SPANS spans that never split a trace: each batch is re-identified on its own. */
function packWholeTraces(spans: ReadableSpan[]): ReadableSpan[][] {
  const traces = new Map<string, ReadableSpan[]>();
  for (const span of spans) {
    const id = span.spanContext().traceId;
    const trace = traces.get(id);
    if (trace) trace.push(span);
    else traces.set(id, [span]);
  }
  const packed: ReadableSpan[][] = [[]];
  for (const trace of traces.values()) {
    if (packed.at(-1)!.length + trace.length > BATCH_SPANS) packed.push([]);
    packed.at(-1)!.push(...trace);
  }
  return packed;
}

function exportOnce(exporter: PreparedBatchExporter, batch: PreparedBatch): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => exporter.export(batch, (result) => resolve({ ok: result.code === ExportResultCode.SUCCESS, error: result.error?.message })));
}

async function runExporter(index: number, startAt: number): Promise<void> {
  const stopAt = startAt + options.seconds * 1000;
  const exporter = new PreparedBatchExporter(`${options.url}/v1/traces`, { authorization: `Bearer ${options.apiKey}` });
  // Paced: exporter `index` owns every `exporters`-th slot of the shared schedule.
  const interval = options.spansPerSecond > 0 ? (BATCH_SPANS * options.exporters * 1000) / options.spansPerSecond : 0;
  let next = startAt + (interval * index) / options.exporters;
  let sent = index; // exporters start at different batches
  while (Date.now() < stopAt) {
    const wait = next - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    next += interval;
    const batch = prepared[sent++ % prepared.length];
    const sentAt = Date.now();
    const result = await exportOnce(exporter, batch);
    const second = Math.floor((Date.now() - startAt) / 1000);
    if (result.ok) {
      report.exportMs.push(Date.now() - sentAt);
      if (second < options.seconds) report.acknowledgedPerSecond[second] += batch.spanCount;
    } else {
      report.failedSpans += batch.spanCount;
      report.firstError ??= result.error;
    }
  }
  await exporter.shutdown();
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const [line] = await once(process.stdin, 'data');
const { startAt } = JSON.parse(String(line)) as { startAt: number };
await Promise.all(Array.from({ length: options.exporters }, (_, i) => runExporter(i, startAt)));
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0); // stdin is still open
