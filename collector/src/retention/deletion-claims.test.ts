/**
 * The deletion executor's claims and the retention sweeper's bookkeeping, on a bare control plane (no
 * collector, so no other executor competes): one job claimed at a time with a lease longer than a
 * store's delete deadline; a job whose claim was taken over meanwhile is neither ended nor audited
 * twice; retention counts add up over sweep chunks; stop() ends a sweep between chunks.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AnalyticsDeleteError, type DeleteReport, type DeleteSelector } from '../stores/analytics/analytics-store.ts';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { DELETE_DEADLINE_MS } from '../stores/analytics/tinybird/tinybird-store.ts';
import { useTestControlPlane } from '../testing/test-control-plane.ts';
import { DeletionExecutor } from './deletion-executor.ts';
import { insertDeletionJob, queueRetentionJob } from './deletion-jobs.ts';
import { NOTHING_REMOVED } from './remove-traces.ts';
import { RetentionSweeper } from './retention-sweeper.ts';

const context = useTestControlPlane();
const silent = pino({ level: 'silent' });
const DAY_MS = 86_400_000;

/** Runs `during` inside each delete, then fails with `failure` if one is set. */
class HookedStore extends InMemoryAnalyticsStore {
  during: () => Promise<void> = async () => {};
  failure: AnalyticsDeleteError | null = null;
  override async delete(selector: DeleteSelector): Promise<DeleteReport> {
    await this.during();
    if (this.failure) throw this.failure;
    return super.delete(selector);
  }
}

async function traceDeletion(traceId: string): Promise<string> {
  const { tenantId, projectId } = context.scope;
  return context.cp.db.transaction((trx) => insertDeletionJob(trx, {
    tenantId, projectId, kind: 'trace', target: traceId, traceIds: [traceId], removed: { traces: 1 },
    requestedBy: { userId: null, apiKeyId: null, ip: null },
  }));
}

const jobs = (ids: string[]) => context.cp.db('deletion_jobs').whereIn('id', ids).orderBy('created_at');
const endAudits = (id: string) => context.cp.db('audit_logs').whereRaw("details->>'deletion_id' = ?", [id]).count({ n: '*' }).first().then((r) => Number(r!.n));

describe('deletion executor claims', () => {
  it('claims one job at a time, with a lease longer than the store waits on a delete', async () => {
    const { db } = context.cp;
    const ids = [await traceDeletion('a'.repeat(32)), await traceDeletion('b'.repeat(32))];
    const store = new HookedStore();
    const seen: { running: number; leaseSeconds: number }[] = [];
    store.during = async () => {
      const rows = await jobs(ids).select('status', db.raw('extract(epoch FROM available_at - now())::float8 AS lease'));
      seen.push({ running: rows.filter((r) => r.status === 'running').length, leaseSeconds: Math.max(...rows.map((r) => Number(r.lease))) });
    };
    const executor = new DeletionExecutor(db, store, { pollMs: 50, maxBackoffMs: 100 }, silent);
    expect(await executor.runOnce()).toBe(1);
    expect((await jobs(ids)).map((j) => j.status)).toEqual(['done', 'pending']);
    expect(await executor.runOnce()).toBe(1);
    expect(await executor.runOnce()).toBe(0);
    expect(seen.map((s) => s.running)).toEqual([1, 1]);
    for (const { leaseSeconds } of seen) expect(leaseSeconds).toBeGreaterThan(DELETE_DEADLINE_MS / 1000);
  });

  it('neither ends nor audits a job another process claimed while the delete ran', async () => {
    const { db } = context.cp;
    const store = new HookedStore();
    const executor = new DeletionExecutor(db, store, { pollMs: 50, maxBackoffMs: 100 }, silent);
    // Another process's claim, as after this one's lease ran out.
    const takeOver = (id: string) => async () => { await db('deletion_jobs').where({ id }).update({ claim_token: randomUUID(), attempts: 5 }); };

    const done = await traceDeletion('c'.repeat(32));
    store.during = takeOver(done);
    await executor.runOnce();
    expect((await jobs([done]))[0]).toMatchObject({ status: 'running', attempts: 5, finished_at: null });
    expect(await endAudits(done)).toBe(0);

    await db('deletion_jobs').where({ id: done }).update({ status: 'done' }); // out of the way
    const failed = await traceDeletion('d'.repeat(32));
    store.during = takeOver(failed);
    store.failure = new AnalyticsDeleteError('refused for good', false);
    await executor.runOnce();
    expect((await jobs([failed]))[0]).toMatchObject({ status: 'running', attempts: 5, error: null });
    expect(await endAudits(failed)).toBe(0);
    await db('deletion_jobs').where({ id: failed }).update({ status: 'done' });
  });
});

describe('retention bookkeeping', () => {
  it('adds each chunk\'s removed rows to the open job, whose target names the cutoff it keeps', async () => {
    const scope = { tenantId: randomUUID(), projectId: randomUUID() };
    const later = new Date('2026-01-02T03:04:05.678Z');
    await queueRetentionJob(context.cp.db, scope, later, { ...NOTHING_REMOVED, traces: 2, scores: 1 });
    await queueRetentionJob(context.cp.db, scope, new Date('2026-01-01T00:00:00.000Z'), { ...NOTHING_REMOVED, traces: 3, sessions: 1 });
    const job = await context.cp.db('deletion_jobs').where({ project_id: scope.projectId }).first();
    expect(job.removed).toEqual({ traces: 5, scores: 1, seen_spans: 0, log_records: 0, sessions: 1, conversations: 0 });
    expect(new Date(job.older_than).toISOString()).toBe(later.toISOString());
    expect(job.target).toBe(later.toISOString());
  });

  it('stops a sweep between chunks when stop() is called', async () => {
    const { db } = context.cp;
    const scope = await context.cp.createProject();
    await db('projects').where({ id: scope.projectId }).update({ retention_days: 1 });
    const old = new Date(Date.now() - 3 * DAY_MS);
    await db('trace_summaries').insert(Array.from({ length: 5 }, (_, i) => ({
      tenant_id: scope.tenantId, project_id: scope.projectId, trace_id: `${i}`.repeat(32), start_time: old, end_time: old,
    })));
    const sweeper = new RetentionSweeper(db, { intervalMs: 3_600_000, chunkSize: 1 }, silent);
    const sweep = sweeper.sweepOnce();
    await sweeper.stop();
    expect((await sweep).traces).toBeLessThanOrEqual(1);
    expect(Number((await db('trace_summaries').where({ project_id: scope.projectId }).count({ n: '*' }).first())!.n)).toBeGreaterThanOrEqual(4);
  });
});
