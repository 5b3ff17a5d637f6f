/**
 * Deletion jobs around the outbox and the analytics store, with a collector over an in-memory store
 * the tests can hold back: a delete waits for batches still in the outbox (so nothing comes back),
 * retries retryable store errors, fails on permanent ones; project deletion; the retention sweeper;
 * and several executors never running one job twice.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../events/canonical-event.ts';
import { AnalyticsAppendError, AnalyticsDeleteError, type DeleteReport, type DeleteSelector } from '../stores/analytics/analytics-store.ts';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { addMember, type TestMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { DeletionExecutor } from './deletion-executor.ts';
import { queueRetentionJob } from './deletion-jobs.ts';
import { NOTHING_REMOVED } from './remove-traces.ts';
import { RetentionSweeper } from './retention-sweeper.ts';

/** Holds appends back while `held`; fails the next deletes with the queued errors; counts deletes. */
class ControllableStore extends InMemoryAnalyticsStore {
  held = false;
  deleteFailures: AnalyticsDeleteError[] = [];
  deletes: DeleteSelector[] = [];
  override async append(events: CanonicalEvent[]) {
    if (this.held) throw new AnalyticsAppendError('analytics store unavailable (held by the test)', true);
    return super.append(events);
  }
  override async delete(selector: DeleteSelector): Promise<DeleteReport> {
    this.deletes.push(selector);
    const failure = this.deleteFailures.shift();
    if (failure) throw failure;
    return super.delete(selector);
  }
}

const DAY_MS = 86_400_000;
const store = new ControllableStore();
const silent = pino({ level: 'silent' });
let collector: TestCollector;
let owner: TestMember;
let admin: TestMember;

beforeAll(async () => {
  collector = await startTestCollector({ analytics: store, env: { OBSERVA_SHIPPER_MAX_BACKOFF_MS: '100' } });
  owner = await addMember(collector, { role: 'owner' });
  admin = await addMember(collector, { role: 'admin' });
});
afterAll(async () => {
  await collector?.close();
});

async function ingest(spans: object[], key = collector.apiKey) {
  const response = await collector.request('/v1/traces', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(otlpJson(spans)) });
  expect(response.status).toBe(200);
}

const inProject = (projectId = collector.projectId) => ({ tenantId: collector.tenantId, projectId });
const spansOf = (traceId: string, projectId = collector.projectId) => store.query('trace_spans', { ...inProject(projectId), traceId });
const deletion = async (id: string, member = admin) => (await callApi(collector, 'GET', `/api/v1/deletions/${id}?project_id=${collector.projectId}`, { token: member.token })).body;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

const ended = (id: string) => until(() => deletion(id), (d) => d.status === 'done' || d.status === 'failed', `deletion ${id}`);

describe('deletion jobs and the outbox', () => {
  it('waits while the outbox holds a batch of the trace, so nothing comes back once it is delivered', async () => {
    store.held = true;
    const [doomed, kept] = [randomTraceId(), randomTraceId()];
    await ingest([jsonSpan({ traceId: doomed }), jsonSpan({ traceId: kept })]);
    const { status, body } = await callApi(collector, 'DELETE', `/api/v1/traces/${doomed}?project_id=${collector.projectId}`, { token: admin.token });
    expect(status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Not done: the executor may be between claiming the job and putting it back to wait.
    expect(['pending', 'running']).toContain((await deletion(body.deletion_id)).status);
    expect(store.deletes).toEqual([]);

    store.held = false;
    collector.shipper.poke();
    await collector.shipped();
    expect((await ended(body.deletion_id)).status).toBe('done');
    expect(await spansOf(doomed)).toEqual([]);
    expect(await spansOf(kept)).toHaveLength(1);
  });

  it('retries a retryable store failure with backoff, and fails a permanent one with its reason, audited', async () => {
    const [first, second] = [randomTraceId(), randomTraceId()];
    await ingest([jsonSpan({ traceId: first }), jsonSpan({ traceId: second })]);
    await collector.shipped();

    store.deleteFailures.push(new AnalyticsDeleteError('Tinybird delete API answered 503: busy', true));
    const retried = (await callApi(collector, 'DELETE', `/api/v1/traces/${first}`, { token: admin.token, headers: { 'x-observa-project-id': collector.projectId } })).body;
    expect(await ended(retried.deletion_id)).toMatchObject({ status: 'done', attempts: 1, error: null });
    expect(await spansOf(first)).toEqual([]);

    store.deleteFailures.push(new AnalyticsDeleteError('Tinybird delete API answered 403: Not enough permissions', false));
    const refused = (await callApi(collector, 'DELETE', `/api/v1/traces/${second}`, { token: admin.token, headers: { 'x-observa-project-id': collector.projectId } })).body;
    expect(await ended(refused.deletion_id)).toMatchObject({ status: 'failed', error: 'Tinybird delete API answered 403: Not enough permissions' });
    const audit = await collector.db('audit_logs').where({ action: 'trace.delete', target_id: second }).orderBy('id');
    expect(audit.map((a) => a.details.status)).toEqual(['pending', 'failed']);
  });
});

describe('project deletion', () => {
  it('is for owners; removes the project with everything in it, in both stores, and its dead letters', async () => {
    const created = await callApi(collector, 'POST', `/api/v1/tenants/${collector.tenantId}/projects`, { token: owner.token, body: { name: 'Doomed' } });
    expect(created.status).toBe(201);
    const projectId = created.body.id;
    const key = (await collector.apiKeys.create({ tenantId: collector.tenantId, projectId, name: 'doomed', scopes: ['ingest', 'read'], createdBy: null })).key;
    const traceId = randomTraceId();
    await ingest([jsonSpan({ traceId, attributes: { 'session.id': 's', 'user.id': 'u' } })], key);
    await collector.shipped();
    await collector.db('ingest_outbox').insert({ tenant_id: collector.tenantId, project_id: projectId, event_count: 1, payload: Buffer.from('x'), dead_lettered_at: new Date(), last_error: 'refused' });

    expect((await callApi(collector, 'DELETE', `/api/v1/projects/${projectId}`, { token: admin.token })).status).toBe(403);
    const { status, body } = await callApi(collector, 'DELETE', `/api/v1/projects/${projectId}`, { token: owner.token });
    expect(status).toBe(202);
    expect(body.removed).toEqual({ traces: 1, sessions: 1, conversations: 0, scores: 0, api_keys: 1, seen_spans: 1, log_records: 0 });
    expect((await callApi(collector, 'GET', `/api/v1/projects/${projectId}`, { token: owner.token })).status).toBe(404);
    expect(await collector.db('trace_summaries').where({ project_id: projectId })).toEqual([]);

    // Readable from the tenant's other project once its own project is gone.
    expect(await until(() => deletion(body.deletion_id, owner), (d) => d.status === 'done', 'project deletion')).toMatchObject({ kind: 'project', target: projectId });
    expect(await store.query('span_count', inProject(projectId))).toEqual([{ spans: 0 }]);
    expect(await collector.db('ingest_outbox').where({ project_id: projectId })).toEqual([]);
    expect((await store.query('span_count', inProject()))[0].spans).toBeGreaterThan(0);
    expect(await collector.db('audit_logs').where({ action: 'project.delete', target_id: projectId }).select('actor_user_id')).toEqual([{ actor_user_id: owner.userId }, { actor_user_id: owner.userId }]);
  });
});

describe('retention', () => {
  it('removes traces older than a project\'s retention from both stores, recomputing sessions that keep newer traces', async () => {
    const patched = await callApi(collector, 'PATCH', `/api/v1/projects/${collector.projectId}`, { token: admin.token, body: { retention_days: 1 } });
    expect(patched.status).toBe(200);
    const threeDaysAgo = Date.now() - 3 * DAY_MS;
    const [old, oldAlone, fresh] = [randomTraceId(), randomTraceId(), randomTraceId()];
    await ingest([
      jsonSpan({ traceId: old, startMs: threeDaysAgo, attributes: { 'session.id': 'straddles' } }),
      jsonSpan({ traceId: oldAlone, startMs: threeDaysAgo, attributes: { 'session.id': 'all-old' } }),
      jsonSpan({ traceId: fresh, attributes: { 'session.id': 'straddles' } }),
    ]);
    await collector.request('/api/v1/scores', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trace_id: old, name: 'n', value: 1 }) });
    await collector.shipped();
    // OTLP log records (prompt text) whose span never came: the old one goes with the retention.
    const record = (traceId: string, receivedAt: Date) => ({
      tenant_id: collector.tenantId, project_id: collector.projectId, trace_id: traceId, span_id: 'b7ad6b7169203331',
      record_hash: traceId, event: JSON.stringify({ time: receivedAt.toISOString(), name: 'gen_ai.user.message', attributes: { content: 'secret' } }), received_at: receivedAt,
    });
    const [orphanOld, orphanNew] = [randomTraceId(), randomTraceId()];
    await collector.db('span_log_records').insert([record(orphanOld, new Date(threeDaysAgo)), record(orphanNew, new Date())]);

    const sweeper = new RetentionSweeper(collector.db, { intervalMs: 3_600_000, chunkSize: 1 }, silent);
    const removed = await sweeper.sweepOnce();
    expect(removed).toMatchObject({ traces: 2, scores: 1, sessions: 1, log_records: 1 });
    expect((await collector.db('span_log_records').whereIn('trace_id', [orphanOld, orphanNew]).select('trace_id')).map((r) => r.trace_id)).toEqual([orphanNew]);
    const session = (await callApi(collector, 'GET', `/api/v1/sessions/straddles?project_id=${collector.projectId}`, { token: admin.token })).body.session;
    expect(session.trace_count).toBe(1);
    expect((await callApi(collector, 'GET', `/api/v1/sessions/all-old?project_id=${collector.projectId}`, { token: admin.token })).status).toBe(404);

    const job = await until(() => collector.db('deletion_jobs').where({ project_id: collector.projectId, kind: 'retention' }), (jobs) => jobs.every((j) => j.status === 'done'), 'retention job');
    expect(job).toHaveLength(1);
    expect([(await spansOf(old)).length, (await spansOf(oldAlone)).length, (await spansOf(fresh)).length]).toEqual([0, 0, 1]);
    // Nothing older left: a second sweep queues nothing.
    expect(await sweeper.sweepOnce()).toEqual(NOTHING_REMOVED);
    expect(await collector.db('deletion_jobs').where({ kind: 'retention' })).toHaveLength(1);
    await sweeper.stop();
  });

  it('runs each job once however many executors compete for it', async () => {
    const scopes = Array.from({ length: 4 }, () => ({ tenantId: randomUUID(), projectId: randomUUID() }));
    for (const scope of scopes) await queueRetentionJob(collector.db, scope, new Date(), NOTHING_REMOVED);
    const options = { pollMs: 50, leaseMs: 60_000, maxBackoffMs: 100 };
    const executors = [new DeletionExecutor(collector.db, store, options, silent), new DeletionExecutor(collector.db, store, options, silent)];
    const from = store.deletes.length;
    await Promise.all(executors.map((e) => e.runOnce()));
    const ids = new Set<string>(scopes.map((s) => s.projectId));
    await until(async () => collector.db('deletion_jobs').whereIn('project_id', [...ids]).select('status'), (rows) => rows.every((r) => r.status === 'done'), 'jobs');
    expect(store.deletes.slice(from).filter((d) => ids.has(d.projectId)).map((d) => d.projectId).sort()).toEqual([...ids].sort());
  });
});
