/**
 * Deleting a trace, a session and an end user's data end to end (collector, Postgres/PGlite, chDB):
 * the control plane changes at once (lists, detail, session totals), the spans leave the analytics
 * store once the deletion job is done, and other projects and tenants keep theirs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type TestMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { jsonSpan, otlpJson, randomSpanId, randomTraceId } from '../testing/otlp-json.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
let admin: TestMember;
let otherKey: string;
const other = { tenantId: randomUUID(), projectId: randomUUID() };
const [t1, t2, t3, t4, t5, tOther] = Array.from({ length: 6 }, randomTraceId);

/** A trace: a root span and a child, with usage on the root. */
function trace(traceId: string, attributes: Record<string, string | number>, childAttributes: Record<string, string> = {}) {
  const root = randomSpanId();
  return [
    jsonSpan({ traceId, spanId: root, name: `root-${traceId.slice(0, 6)}`, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm', ...attributes } }),
    jsonSpan({ traceId, parentSpanId: root, name: 'child', attributes: childAttributes }),
  ];
}

async function ingest(key: string, spans: object[]) {
  const response = await collector.request('/v1/traces', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(otlpJson(spans)) });
  expect(response.status).toBe(200);
}

const as = (member: TestMember | null) => ({ token: member?.token ?? collector.apiKey });
const spansOf = (traceId: string, scope = { tenantId: collector.tenantId, projectId: collector.projectId }) => collector.analytics.query('trace_spans', { ...scope, traceId });

async function finished(deletionId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { status, body } = await callApi(collector, 'GET', `/api/v1/deletions/${deletionId}`, as(admin));
    expect(status).toBe(200);
    if (body.status === 'done' || body.status === 'failed') return body;
    if (Date.now() > deadline) throw new Error(`deletion ${deletionId} still ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

beforeAll(async () => {
  collector = await startTestCollector();
  admin = await addMember(collector, { role: 'admin' });
  await collector.db('tenants').insert({ id: other.tenantId, slug: 'other', name: 'Other' });
  await collector.db('projects').insert({ id: other.projectId, tenant_id: other.tenantId, slug: 'p', name: 'Other project' });
  otherKey = (await collector.apiKeys.create({ ...other, name: 'other', scopes: ['ingest', 'read'], createdBy: null })).key;

  const usage = (input: number) => ({ 'gen_ai.usage.input_tokens': input, 'gen_ai.usage.output_tokens': 1 });
  await ingest(collector.apiKey, [
    ...trace(t1, { 'session.id': 's-1', 'user.id': 'alice', ...usage(10) }),
    // Alice's trace, but one span says it was Bob's: an end-user deletion takes that span too.
    ...trace(t2, { 'session.id': 's-1', 'user.id': 'alice', ...usage(20) }, { 'user.id': 'bob' }),
    ...trace(t3, { 'session.id': 's-1', 'user.id': 'bob', ...usage(30) }),
    ...trace(t4, { 'session.id': 's-2', 'user.id': 'bob', ...usage(40) }),
    ...trace(t5, { 'user.id': 'carol', ...usage(50) }),
  ]);
  await ingest(otherKey, trace(tOther, { 'session.id': 's-1', 'user.id': 'bob', ...usage(60) }));
  const score = await collector.request('/api/v1/scores', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trace_id: t1, name: 'thumbs', value: true }) });
  expect(score.status).toBe(201);
  await collector.shipped();
});
afterAll(async () => {
  await collector?.close();
});

describe('data deletion', () => {
  it('is for admins: viewers, members and API keys are refused', async () => {
    for (const role of ['viewer', 'member'] as const) {
      const { status, body } = await callApi(collector, 'DELETE', `/api/v1/traces/${t5}`, as(await addMember(collector, { role })));
      expect([status, body.error.message]).toEqual([403, `role "${role}" may not delete traces, sessions or user data`]);
    }
    expect((await callApi(collector, 'DELETE', `/api/v1/traces/${t5}`, as(null))).status).toBe(403);
    expect((await spansOf(t5))).toHaveLength(2);
  });

  it('deletes a trace: gone from lists and detail at once, session totals recomputed, spans gone once done', async () => {
    const { status, body } = await callApi(collector, 'DELETE', `/api/v1/traces/${t1}`, as(admin));
    expect(status).toBe(202);
    expect(body).toEqual({ deletion_id: expect.any(String), status: 'pending', removed: { traces: 1, scores: 1, seen_spans: 2, log_records: 0, sessions: 0, conversations: 0 } });
    const list = await callApi(collector, 'GET', '/api/v1/traces', as(admin));
    expect(list.body.data.map((t: { trace_id: string }) => t.trace_id)).not.toContain(t1);
    expect((await callApi(collector, 'GET', `/api/v1/traces/${t1}`, as(admin))).status).toBe(404);
    const session = await callApi(collector, 'GET', '/api/v1/sessions/s-1', as(admin));
    expect(session.body.session).toMatchObject({ trace_count: 2, input_tokens: 50, span_count: 4 });

    const done = await finished(body.deletion_id);
    expect(done).toMatchObject({ status: 'done', kind: 'trace', target: t1, error: null, analytics_rows_removed: 2 });
    expect(await spansOf(t1)).toEqual([]);
    expect(await spansOf(t2)).toHaveLength(2);
    const audit = await collector.db('audit_logs').where({ action: 'trace.delete', target_id: t1 }).orderBy('id');
    expect(audit.map((a) => [a.actor_user_id, a.details.status])).toEqual([[admin.userId, 'pending'], [admin.userId, 'done']]);
    expect(audit[0].details.removed).toMatchObject({ traces: 1, scores: 1 });
    expect(audit[1].details.analytics_rows_removed).toBe(2);
  });

  it('deletes a session with its traces', async () => {
    const { status, body } = await callApi(collector, 'DELETE', '/api/v1/sessions/s-1', as(admin));
    expect([status, body.removed]).toEqual([202, { traces: 2, scores: 0, seen_spans: 4, log_records: 0, sessions: 1, conversations: 0 }]);
    expect((await callApi(collector, 'GET', '/api/v1/sessions/s-1', as(admin))).status).toBe(404);
    expect((await finished(body.deletion_id)).status).toBe('done');
    expect([(await spansOf(t2)).length, (await spansOf(t3)).length, (await spansOf(t4)).length]).toEqual([0, 0, 2]);
    // Another tenant's session with the same id is its own.
    expect(await spansOf(tOther, other)).toHaveLength(2);
  });

  it('deletes an end user\'s data: their traces, their sessions, and every span carrying their id', async () => {
    await ingest(collector.apiKey, trace(randomTraceId(), { 'user.id': 'carol' }, { 'user.id': 'bob' }));
    await collector.shipped();
    const { status, body } = await callApi(collector, 'DELETE', '/api/v1/users/bob', as(admin));
    expect([status, body.removed]).toMatchObject([202, { traces: 1, sessions: 1 }]);
    expect((await callApi(collector, 'GET', '/api/v1/traces?user_id=bob', as(admin))).body.data).toEqual([]);
    expect((await finished(body.deletion_id)).status).toBe('done');
    const left = await collector.analytics.query('top_users', { tenantId: collector.tenantId, projectId: collector.projectId, fromMs: 0, toMs: Date.now() + 60_000 });
    expect(left.map((u) => u.user_id)).not.toContain('bob');
    expect(await spansOf(t4)).toEqual([]);
    expect(await spansOf(t5)).toHaveLength(2);
    expect(await spansOf(tOther, other)).toHaveLength(2);
    expect((await collector.db('audit_logs').where({ action: 'end_user.delete', target_id: 'bob' })).length).toBe(2);
  });

  it('records an end user\'s deletion even when no trace is theirs; answers 404 for unknown traces and sessions, 400 for bad ids', async () => {
    const nobody = await callApi(collector, 'DELETE', '/api/v1/users/nobody%20%C3%A0%20all', as(admin));
    expect([nobody.status, nobody.body.removed.traces]).toEqual([202, 0]);
    expect((await finished(nobody.body.deletion_id)).target).toBe('nobody à all');
    expect((await callApi(collector, 'DELETE', `/api/v1/traces/${randomTraceId()}`, as(admin))).status).toBe(404);
    expect((await callApi(collector, 'DELETE', '/api/v1/sessions/no-such-session', as(admin))).status).toBe(404);
    const bad = await callApi(collector, 'DELETE', '/api/v1/traces/not-a-trace', as(admin));
    expect([bad.status, bad.body.error.message]).toEqual([400, 'traceId must be 32 hex characters']);
    expect((await callApi(collector, 'DELETE', `/api/v1/users/${'x'.repeat(513)}`, as(admin))).status).toBe(400);
  });

  it('shows a deletion only within its project', async () => {
    const { body } = await callApi(collector, 'DELETE', `/api/v1/traces/${t5}`, as(admin));
    expect((await callApi(collector, 'GET', `/api/v1/deletions/${body.deletion_id}`, { token: otherKey })).status).toBe(404);
    expect((await callApi(collector, 'GET', `/api/v1/deletions/${body.deletion_id}`, as(null))).status).toBe(200); // the project's read key
    expect((await callApi(collector, 'GET', '/api/v1/deletions/not-a-uuid', as(admin))).status).toBe(404);
  });
});
