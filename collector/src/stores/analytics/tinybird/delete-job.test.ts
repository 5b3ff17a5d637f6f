/**
 * TinybirdAnalyticsStore.delete on the wire, against a scripted server: the request it sends, how it
 * waits for the job, and how each answer is classified. (Against the double: the conformance suite in
 * tinybird-double-e2e.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type RecordedRequest, type ScriptedReply, type ScriptedServer } from '../../../testing/scripted-http-server.ts';
import { AnalyticsDeleteError } from '../analytics-store.ts';
import { freshScope, traceId } from '../analytics-store.fixtures.ts';
import { TinybirdAnalyticsStore, type TinybirdStoreOptions } from './tinybird-store.ts';

let server: ScriptedServer;
beforeAll(async () => { server = await startScriptedServer(); });
afterAll(async () => { await server?.close(); });

async function started(options: Partial<TinybirdStoreOptions> = {}) {
  const target = { host: server.url, appendToken: 'append', adminToken: 'admin', workspaceId: 'ws' };
  const store = new TinybirdAnalyticsStore({ targets: { forTenant: async () => target }, batchRows: 5000, batchBytes: 8e6, timeoutMs: 1000, ...options });
  await store.start();
  return store;
}

/** Answers the delete with a job, then the job's states in turn (the last one repeats). */
function script(deleteReply: ScriptedReply, ...jobReplies: ScriptedReply[]): void {
  let polls = 0;
  server.answer((request) => {
    if (request.url.pathname.endsWith('/delete')) return deleteReply;
    return jobReplies[Math.min(polls++, jobReplies.length - 1)];
  });
}

const accepted: ScriptedReply = { status: 201, body: { id: 'job-1', job_id: 'job-1', job_url: 'x', status: 'waiting', delete_id: 'job-1' } };
const job = (status: string, extra: object = {}): ScriptedReply => ({ body: { kind: 'delete_data', id: 'job-1', job_id: 'job-1', status, ...extra } });
const failure = (store: TinybirdAnalyticsStore, selector = { ...freshScope(), traceIds: [traceId()] }) =>
  store.delete(selector).then(() => null, (err: AnalyticsDeleteError) => err);

describe('TinybirdAnalyticsStore.delete', () => {
  it('posts the condition form-encoded with the admin token, then polls the job until done', async () => {
    const store = await started();
    const scope = freshScope();
    script(accepted, job('waiting'), job('working'), job('done', { rows_affected: 7 }));
    const from = server.requests.length;
    expect(await store.delete({ ...scope, userId: "u' OR 1=1 --" })).toEqual({ deletedRows: 7 });
    const [post, ...polls] = server.requests.slice(from) as RecordedRequest[];
    expect([post.method, post.url.pathname, post.headers.authorization, post.headers['content-type']]).toEqual(['POST', '/v0/datasources/events/delete', 'Bearer admin', 'application/x-www-form-urlencoded']);
    const hex = Buffer.from("u' OR 1=1 --").toString('hex');
    expect(new URLSearchParams(post.text).get('delete_condition')).toBe(`tenant_id = '${scope.tenantId}' AND project_id = '${scope.projectId}' AND user_id = unhex('${hex}')`);
    expect(polls.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(Array(3).fill('GET /v0/jobs/job-1'));
    await store.shutdown();
  });

  it('keeps polling through transient answers of the jobs API', async () => {
    const store = await started();
    script(accepted, { status: 503, body: { error: 'busy' } }, { status: 429, body: { error: 'slow down' } }, job('done', { rows_affected: 0 }));
    expect(await store.delete({ ...freshScope(), wholeProject: true })).toEqual({ deletedRows: 0 });
    await store.shutdown();
  });

  it('classifies refusals: 429 and 5xx retryable (with the wait asked for), 400/403 permanent, quoting Tinybird', async () => {
    const store = await started();
    script({ status: 429, headers: { 'retry-after': '3' }, body: { error: 'You have reached the maximum number of delete jobs (6)' } });
    let error = await failure(store);
    expect([error?.retryable, error?.retryAfterMs]).toEqual([true, 3000]);
    expect(error?.message).toContain('maximum number of delete jobs');
    script({ status: 503, body: { error: 'unavailable' } });
    expect((await failure(store))?.retryable).toBe(true);
    script({ status: 400, body: { error: "Failed to apply delete_condition='…'" } });
    error = await failure(store);
    expect([error?.retryable, error?.message]).toEqual([false, expect.stringContaining('answered 400')]);
    script({ status: 403, body: { error: 'Not enough permissions' } });
    expect((await failure(store))?.retryable).toBe(false);
    script(accepted, { status: 404, body: { error: 'Job not found' } });
    expect((await failure(store))?.retryable).toBe(false);
    await store.shutdown();
  });

  it('retries a job that ended in error or outlived the deadline', async () => {
    const store = await started({ deleteDeadlineMs: 300 });
    script(accepted, job('error', { error: 'too many parts' }));
    let error = await failure(store);
    expect([error?.retryable, error?.message]).toEqual([true, expect.stringContaining('too many parts')]);
    script(accepted, job('working'));
    error = await failure(store);
    expect([error?.retryable, error?.message]).toEqual([true, expect.stringContaining('still working after 300 ms')]);
    await store.shutdown();
  });

  it('ends the wait at shutdown, retryably', async () => {
    const store = await started();
    script(accepted, job('working'));
    const pending = failure(store);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const at = Date.now();
    await store.shutdown();
    const error = await pending;
    expect(Date.now() - at).toBeLessThan(1000);
    expect([error?.retryable, error?.message]).toEqual([true, expect.stringContaining('shutting down')]);
  });

  it('treats an unreachable host as retryable and a malformed selector as permanent, sending nothing', async () => {
    const gone = new TinybirdAnalyticsStore({ targets: { forTenant: async () => ({ host: 'http://127.0.0.1:1', appendToken: 'a', adminToken: 'b', workspaceId: 'w' }) }, batchRows: 1, batchBytes: 1000, timeoutMs: 500 });
    await gone.start();
    expect((await failure(gone))?.retryable).toBe(true);
    const from = server.requests.length;
    expect((await failure(gone, { ...freshScope(), traceIds: ['not-a-trace-id'] }))?.retryable).toBe(false);
    expect(server.requests.length).toBe(from);
    await gone.shutdown();
  });
});
