/**
 * The outbox shipper against a real control plane: an analytics outage delays events and loses none,
 * concurrent shippers deliver each batch once, and a shipper that dies mid-delivery is covered by its lease.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { emptyEvent, type CanonicalEvent } from '../events/canonical-event.ts';
import { AnalyticsAppendError, type AppendReport } from '../stores/analytics/analytics-store.ts';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { openDatabase } from '../stores/control/database.ts';
import { randomSpanId, randomTraceId } from '../testing/otlp-json.ts';
import { useTestControlPlane } from '../testing/test-control-plane.ts';
import { backoffMs } from '../background/retry-backoff.ts';
import { OutboxShipper } from './outbox-shipper.ts';
import { writeBatch } from './write-batch.ts';

const log = pino({ level: 'silent' });
const options = { batchSize: 5, pollMs: 20, leaseMs: 1000, maxBackoffMs: 50 };

/** Records every append, and fails while `down` is set, as an unreachable store would. */
class RecordingStore extends InMemoryAnalyticsStore {
  down = false;
  appendedKeys: string[] = [];
  override async append(events: CanonicalEvent[]): Promise<void | AppendReport> {
    if (this.down) throw new Error('analytics store unavailable');
    await new Promise((resolve) => setTimeout(resolve, 5)); // a real store takes time: let shippers overlap
    this.appendedKeys.push(...events.map((e) => e.span_id));
    await super.append(events);
  }
}

const plane = useTestControlPlane();

async function ingestBatches(count: number): Promise<string[]> {
  const spanIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = { ...emptyEvent(), tenant_id: plane.scope.tenantId, project_id: plane.scope.projectId, trace_id: randomTraceId(), span_id: randomSpanId(), name: `b${i}`, start_time: '2026-01-01T00:00:00.000000000Z', end_time: '2026-01-01T00:00:01.000000000Z' };
    await writeBatch(plane.cp.db, plane.scope, [event], 1);
    spanIds.push(event.span_id);
  }
  return spanIds;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('OutboxShipper', () => {
  it('keeps batches through an analytics outage, records the error, and delivers all once it recovers', async () => {
    const store = new RecordingStore();
    store.down = true;
    const shipper = new OutboxShipper(plane.cp.db, store, options, log);
    const spanIds = await ingestBatches(12);
    expect(await shipper.shipOnce()).toBe(0);
    const failed = await plane.cp.db('ingest_outbox').orderBy('id');
    expect(failed).toHaveLength(12);
    expect(failed.filter((r) => r.attempts === 1 && r.last_error === 'analytics store unavailable')).toHaveLength(5);

    shipper.start();
    await new Promise((resolve) => setTimeout(resolve, 200)); // several failed attempts with backoff
    store.down = false;
    await waitFor(async () => (await shipper.backlog()).rows === 0);
    await shipper.shutdown();
    expect([...store.appendedKeys].sort()).toEqual([...spanIds].sort());
    expect((await store.query('span_count', plane.scope))[0].spans).toBe(12);
  });

  it('with two shippers on separate connections, each batch is delivered exactly once', async () => {
    const store = new RecordingStore();
    // A second pool to the same database acts as a second collector process (PGlite has one connection).
    const secondDb = plane.cp.url ? await openDatabase(plane.cp.url, '') : plane.cp.db;
    const shippers = [new OutboxShipper(plane.cp.db, store, options, log), new OutboxShipper(secondDb, store, options, log)];
    const spanIds = await ingestBatches(40);
    await Promise.all(shippers.map((s) => s.drain()));
    await waitFor(async () => (await shippers[0].backlog()).rows === 0);
    expect(store.appendedKeys).toHaveLength(40);
    expect(new Set(store.appendedKeys)).toEqual(new Set(spanIds));
    if (secondDb !== plane.cp.db) await secondDb.destroy();
  });

  it('redelivers a batch whose shipper died after claiming it, once the lease ends', async () => {
    const store = new RecordingStore();
    const [spanId] = await ingestBatches(1);
    // A shipper "dies" after its claim: the row is leased but never appended or deleted.
    await plane.cp.db('ingest_outbox').update({ available_at: plane.cp.db.raw("now() + interval '1 second'"), attempts: 1 });
    const survivor = new OutboxShipper(plane.cp.db, store, options, log);
    expect(await survivor.shipOnce()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await survivor.shipOnce()).toBe(1);
    expect(store.appendedKeys).toEqual([spanId]);
  });

  it('isolates a batch the store refuses for good, so the batches claimed with it still ship', async () => {
    const poisoned = new Set<string>();
    class PickyStore extends RecordingStore {
      override async append(events: CanonicalEvent[]): Promise<void> {
        if (events.some((e) => poisoned.has(e.span_id))) throw new AnalyticsAppendError('store refused the batch', false);
        await super.append(events);
      }
    }
    const store = new PickyStore();
    const spanIds = await ingestBatches(5);
    poisoned.add(spanIds[2]);
    const shipper = new OutboxShipper(plane.cp.db, store, options, log);
    expect(await shipper.shipOnce()).toBe(4);
    expect([...store.appendedKeys].sort()).toEqual(spanIds.filter((id) => id !== spanIds[2]).sort());
    const left = await plane.cp.db('ingest_outbox');
    expect(left).toHaveLength(1);
    expect(left[0].last_error).toBe('store refused the batch');
    await plane.cp.db('ingest_outbox').delete();
  });

  it('dead-letters a batch the store refuses for good, with the reason, and ships the rest', async () => {
    const refused = new Set<string>();
    class StrictStore extends RecordingStore {
      override async append(events: CanonicalEvent[]) {
        if (events.some((e) => refused.has(e.span_id))) throw new AnalyticsAppendError('400: column start_time cannot be parsed', false);
        return super.append(events);
      }
    }
    const store = new StrictStore();
    const deadBefore = Number((await plane.cp.db('analytics_delivery_stats').where({ tenant_id: plane.scope.tenantId }).first())?.dead_lettered_batches ?? 0);
    const spanIds = await ingestBatches(3);
    refused.add(spanIds[1]);
    const shipper = new OutboxShipper(plane.cp.db, store, options, log);
    expect(await shipper.shipOnce()).toBe(2);
    const [dead] = await plane.cp.db('ingest_outbox');
    expect(dead.dead_lettered_at).not.toBeNull();
    expect(dead.last_error).toBe('400: column start_time cannot be parsed');
    expect(await shipper.shipOnce()).toBe(0); // never claimed again
    expect((await shipper.backlog()).rows).toBe(0);
    const stats = await plane.cp.db('analytics_delivery_stats').where({ tenant_id: plane.scope.tenantId }).first();
    expect(stats).toMatchObject({ last_dead_letter_reason: '400: column start_time cannot be parsed' });
    expect(Number(stats.dead_lettered_batches)).toBe(deadBefore + 1);
    await plane.cp.db('ingest_outbox').delete();
  });

  it('waits at least as long as the store asks, and counts quarantined rows per tenant', async () => {
    let calls = 0;
    class ThrottlingStore extends RecordingStore {
      override async append(events: CanonicalEvent[]) {
        calls += 1;
        if (calls === 1) throw new AnalyticsAppendError('429: rate limited', true, 30_000);
        await super.append(events);
        return { quarantinedRows: 2 };
      }
    }
    await ingestBatches(1);
    const shipper = new OutboxShipper(plane.cp.db, new ThrottlingStore(), options, log);
    expect(await shipper.shipOnce()).toBe(0);
    const [row] = await plane.cp.db('ingest_outbox').select(plane.cp.db.raw('extract(epoch FROM available_at - now())::float8 AS wait'));
    expect(row.wait).toBeGreaterThan(29); // the store's 30 s, not the 50 ms backoff cap
    await plane.cp.db('ingest_outbox').update({ available_at: plane.cp.db.fn.now() });
    expect(await shipper.shipOnce()).toBe(1);
    const stats = await plane.cp.db('analytics_delivery_stats').where({ tenant_id: plane.scope.tenantId }).first();
    expect(Number(stats.quarantined_rows)).toBe(2);
    expect(stats.last_quarantine_at).not.toBeNull();
  });

  it('does not send rows one by one after a retryable failure: the store asked to wait', async () => {
    const store = new RecordingStore();
    let calls = 0;
    store.append = async () => {
      calls += 1;
      throw new AnalyticsAppendError('503: unavailable', true);
    };
    await ingestBatches(4);
    const shipper = new OutboxShipper(plane.cp.db, store, options, log);
    expect(await shipper.shipOnce()).toBe(0);
    expect(calls).toBe(1);
    await plane.cp.db('ingest_outbox').delete();
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffMs(1, 60_000, () => 0)).toBe(500);
    expect(backoffMs(1, 60_000, () => 1)).toBe(1000);
    expect(backoffMs(4, 60_000, () => 1)).toBe(8000);
    expect(backoffMs(30, 60_000, () => 1)).toBe(60_000);
  });
});
