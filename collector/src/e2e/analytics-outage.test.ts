/**
 * The analytics store unavailable for a while, under load from real OTLP/proto exporters. The embedded
 * chDB is really closed mid-load: ingestion keeps acknowledging (into the outbox) until the backlog
 * bound, then answers 503 + Retry-After, which the exporters honour and retry; once chDB is reopened
 * the shipper drains the backlog, ingestion resumes, and every acknowledged span is in the store
 * exactly once. (e2e/tinybird-outage.test.ts covers an outage below the bound with Tinybird.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CanonicalEvent } from '../events/canonical-event.ts';
import { ChdbAnalyticsStore } from '../stores/analytics/chdb/chdb-store.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

/** The real chDB store, counting each span id it was given in a successful append (a re-delivery counts twice). */
class CountingChdbStore extends ChdbAnalyticsStore {
  readonly appended = new Map<string, number>();

  override async append(events: CanonicalEvent[]): Promise<void> {
    await super.append(events);
    for (const event of events) this.appended.set(event.span_id, (this.appended.get(event.span_id) ?? 0) + 1);
  }
}

const OUTBOX_BOUND = 20;
const CLIENTS = 4;
const SPANS_PER_BATCH = 25;

const chdbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-outage-chdb-'));
const store = new CountingChdbStore({ path: chdbDir });
let collector: TestCollector;

beforeAll(async () => {
  collector = await startTestCollector({
    analytics: store,
    env: { OBSERVA_MAX_OUTBOX_ROWS: String(OUTBOX_BOUND), OBSERVA_SHIPPER_MAX_BACKOFF_MS: '200' },
  });
}, 60_000);
afterAll(async () => {
  await collector?.close();
  fs.rmSync(chdbDir, { recursive: true, force: true });
});

/** Ended SDK spans, one trace per batch: a root and its chat children. */
const batches = (() => {
  let ended: ReadableSpan[] = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'outage-test' }),
    spanProcessors: [{ onStart() {}, onEnd: (span) => ended.push(span), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const tracer = provider.getTracer('outage-test');
  return () => {
    ended = [];
    const root = tracer.startSpan('agent');
    const parent = trace.setSpan(context.active(), root);
    for (let i = 1; i < SPANS_PER_BATCH; i++) tracer.startSpan('chat gpt-4o-mini', { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 3 } }, parent).end();
    root.end();
    return { traceId: root.spanContext().traceId, spans: ended };
  };
})();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ingestion = async () => ((await (await fetch(`${collector.url}/healthz`)).json()) as any).ingestion;

it('acknowledges up to the backlog bound while chDB is closed, then 503s; afterwards every acknowledged span is stored exactly once', async () => {
  const acknowledged = new Set<string>(); // span ids
  const sentTraces: string[] = [];
  let sent = 0;
  let failedBatches = 0;
  const phase = { outage: false, acknowledgedDuringOutage: 0, acknowledgedAfterRecovery: 0, stop: false };

  // Each client is one app process: its own exporter (with its built-in retry), one batch at a time.
  const client = async () => {
    // Long enough to wait out one Retry-After (5 s) and try again, as an exporter with default settings would.
    const exporter = new OTLPTraceExporter({ url: `${collector.url}/v1/traces`, headers: { authorization: `Bearer ${collector.apiKey}` }, timeoutMillis: 12_000 });
    while (!phase.stop) {
      const { traceId, spans } = batches();
      sentTraces.push(traceId);
      sent += spans.length;
      const outage = phase.outage;
      const result = await new Promise<{ code: number }>((resolve) => exporter.export(spans, resolve));
      if (result.code !== 0) {
        failedBatches += 1; // the exporter gave up: never acknowledged
        continue;
      }
      for (const span of spans) acknowledged.add(span.spanContext().spanId);
      if (outage && phase.outage) phase.acknowledgedDuringOutage += 1;
      if (!phase.outage && !outage) phase.acknowledgedAfterRecovery += 1;
    }
    await exporter.shutdown();
  };
  const clients = Array.from({ length: CLIENTS }, client);

  await sleep(500); // healthy: a few batches go straight through
  phase.outage = true;
  await store.shutdown(); // chDB closed: every append fails, the outbox grows
  const outageStarted = Date.now();
  while (Date.now() - outageStarted < 4000 || (await ingestion()).refused.outbox < CLIENTS * 2) await sleep(100);
  const atBound = await ingestion();
  expect(atBound).toMatchObject({ accepting: false, outbox: { over: true } });
  // At the bound, give or take the requests in flight as a reading was taken (one per client).
  const rowsAtBound = (await collector.shipper.backlog()).rows;
  expect(rowsAtBound).toBeGreaterThanOrEqual(OUTBOX_BOUND);
  expect(rowsAtBound).toBeLessThanOrEqual(OUTBOX_BOUND + CLIENTS);

  await store.start(); // chDB back: the shipper drains the backlog and ingestion resumes
  phase.outage = false;
  while (phase.acknowledgedAfterRecovery < CLIENTS * 2) await sleep(100);
  phase.stop = true;
  await Promise.all(clients);
  await collector.shipped();

  // What the store holds for every trace sent (FINAL: one row per span), and how often each span was appended.
  const stored = new Set<string>();
  for (const traceId of sentTraces) {
    const spans = await collector.analytics.query('trace_spans', { tenantId: collector.tenantId, projectId: collector.projectId, traceId });
    for (const span of spans) stored.add(span.span_id);
  }
  const duplicated = [...store.appended.values()].filter((n) => n > 1).length;
  const lost = [...acknowledged].filter((id) => !stored.has(id)).length;
  const unacknowledgedStored = [...stored].filter((id) => !acknowledged.has(id)).length;
  const refused503 = (await ingestion()).refused.outbox;
  console.log(`analytics outage: sent=${sent} acknowledged=${acknowledged.size} acknowledged_batches_during_outage=${phase.acknowledgedDuringOutage} outbox_rows_at_bound=${rowsAtBound} refused_503=${refused503} batches_given_up=${failedBatches} stored=${stored.size} duplicated=${duplicated} lost=${lost}`);

  expect(phase.acknowledgedDuringOutage).toBeGreaterThan(0); // acknowledging went on with the store down...
  expect(refused503).toBeGreaterThan(0); // ...until the bound, then 503
  expect(stored.size).toBe(acknowledged.size);
  expect(lost).toBe(0);
  expect(unacknowledgedStored).toBe(0);
  expect(duplicated).toBe(0);
}, 90_000);
