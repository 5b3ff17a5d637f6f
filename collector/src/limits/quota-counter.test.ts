/**
 * The monthly event quota inside the ingest transaction (Postgres with TEST_DATABASE_URL, else PGlite):
 * a batch that would cross the quota is refused whole and leaves no trace, a batch that fits is
 * stored, duplicates cost nothing, a new UTC month starts from zero, and concurrent writers never
 * exceed the quota together.
 */
import { describe, expect, it } from 'vitest';
import { emptyEvent, type CanonicalEvent } from '../events/canonical-event.ts';
import { writeBatch } from '../pipeline/write-batch.ts';
import { randomSpanId, randomTraceId } from '../testing/otlp-json.ts';
import { useTestControlPlane } from '../testing/test-control-plane.ts';
import { QuotaExceeded } from './quota-exceeded.ts';

const plane = useTestControlPlane();
const NOVEMBER = new Date('2026-11-20T10:00:00Z');

async function tenantWithQuota(quota: number | null) {
  const scope = await plane.cp.createProject();
  await plane.cp.db('tenants').where({ id: scope.tenantId }).update({ monthly_event_quota: quota });
  return scope;
}

function spans(scope: { tenantId: string; projectId: string }, count: number): CanonicalEvent[] {
  const traceId = randomTraceId();
  return Array.from({ length: count }, () => ({
    ...emptyEvent(), tenant_id: scope.tenantId, project_id: scope.projectId, trace_id: traceId, span_id: randomSpanId(),
    parent_span_id: '', name: 'op', start_time: '2026-11-20T10:00:00.000000000Z', end_time: '2026-11-20T10:00:01.000000000Z',
  }));
}

async function stored(scope: { tenantId: string; projectId: string }) {
  const db = plane.cp.db;
  const count = async (table: string, where: Record<string, string>) => Number((await db(table).where(where).count('* as n').first())!.n);
  const usage = await db('usage_counters').where({ tenant_id: scope.tenantId }).select(db.raw(`to_char(period_start, 'YYYY-MM-DD') AS period`), 'events', 'bytes').orderBy('period_start');
  return {
    usage: usage.map((u) => ({ period: u.period, events: Number(u.events), bytes: Number(u.bytes) })),
    seenSpans: await count('seen_spans', { project_id: scope.projectId }),
    traces: await count('trace_summaries', { project_id: scope.projectId }),
    outboxEvents: Number((await db('ingest_outbox').where({ project_id: scope.projectId }).sum('event_count as n').first())!.n ?? 0),
  };
}

describe('monthly event quota in the write transaction', () => {
  it('stores a batch that fits, up to exactly the quota', async () => {
    const scope = await tenantWithQuota(10);
    await writeBatch(plane.cp.db, scope, spans(scope, 4), 400, NOVEMBER);
    const result = await writeBatch(plane.cp.db, scope, spans(scope, 6), 600, NOVEMBER);
    expect(result.written).toBe(6);
    expect(await stored(scope)).toEqual({ usage: [{ period: '2026-11-01', events: 10, bytes: 1000 }], seenSpans: 10, traces: 2, outboxEvents: 10 });
  });

  it('refuses a batch crossing the quota whole: nothing of it is stored', async () => {
    const scope = await tenantWithQuota(10);
    await writeBatch(plane.cp.db, scope, spans(scope, 8), 800, NOVEMBER);
    const before = await stored(scope);
    const crossing = spans(scope, 3);
    const refused = await writeBatch(plane.cp.db, scope, crossing, 300, NOVEMBER).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(QuotaExceeded);
    expect((refused as QuotaExceeded).status).toBe(429);
    expect((refused as QuotaExceeded).message).toBe(
      `monthly event quota of 10 events for tenant ${scope.tenantId} has 2 events left (8 used), fewer than the 3 new events in this batch; nothing of it was stored; it resets on 2026-12-01T00:00:00Z`,
    );
    expect((refused as QuotaExceeded).headers['retry-after']).toBe(String(10 * 86_400 + 14 * 3600));
    expect(await stored(scope)).toEqual(before);
    // The refused spans were not remembered as seen: sent again next month, they are new and stored.
    const next = await writeBatch(plane.cp.db, scope, crossing, 300, new Date('2026-12-01T00:00:00Z'));
    expect(next).toMatchObject({ written: 3, duplicates: 0 });
  });

  it('does not charge re-sent spans, so a retry of a stored batch is acknowledged at the quota', async () => {
    const scope = await tenantWithQuota(5);
    const batch = spans(scope, 5);
    await writeBatch(plane.cp.db, scope, batch, 500, NOVEMBER);
    expect(await writeBatch(plane.cp.db, scope, batch, 500, NOVEMBER)).toMatchObject({ written: 0, duplicates: 5 });
    await expect(writeBatch(plane.cp.db, scope, spans(scope, 1), 100, NOVEMBER)).rejects.toThrow(/is used up \(5 used\)/);
  });

  it('refuses everything with a quota of 0 and nothing without a quota', async () => {
    const closed = await tenantWithQuota(0);
    await expect(writeBatch(plane.cp.db, closed, spans(closed, 1), 100, NOVEMBER)).rejects.toBeInstanceOf(QuotaExceeded);
    expect((await stored(closed)).usage).toEqual([]);
    const unlimited = await tenantWithQuota(null);
    expect(await writeBatch(plane.cp.db, unlimited, spans(unlimited, 50), 5000, NOVEMBER)).toMatchObject({ written: 50 });
  });

  it('starts each UTC month from zero', async () => {
    const scope = await tenantWithQuota(3);
    await writeBatch(plane.cp.db, scope, spans(scope, 3), 300, new Date('2026-11-30T23:59:59.000Z'));
    const lastMoment = await writeBatch(plane.cp.db, scope, spans(scope, 1), 100, new Date('2026-11-30T23:59:59.999Z')).catch((err: unknown) => err);
    expect((lastMoment as QuotaExceeded).headers['retry-after']).toBe('1');
    expect(await writeBatch(plane.cp.db, scope, spans(scope, 3), 300, new Date('2026-12-01T00:00:00.000Z'))).toMatchObject({ written: 3 });
    expect((await stored(scope)).usage).toEqual([
      { period: '2026-11-01', events: 3, bytes: 300 },
      { period: '2026-12-01', events: 3, bytes: 300 },
    ]);
  });

  it('never exceeds the quota with concurrent writers (the usage row lock serialises them)', async () => {
    const scope = await tenantWithQuota(50);
    // On Postgres these run on separate pooled connections at once; PGlite serialises them anyway.
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => writeBatch(plane.cp.db, scope, spans(scope, 7), 70, NOVEMBER)));
    const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.every((o) => o.status === 'rejected' && o.reason instanceof QuotaExceeded)).toBe(true);
    expect(accepted).toBe(7); // 7 batches of 7 = 49; an 8th would make 56 > 50
    expect(await stored(scope)).toEqual({ usage: [{ period: '2026-11-01', events: 49, bytes: 490 }], seenSpans: 49, traces: 7, outboxEvents: 49 });
  });
});
