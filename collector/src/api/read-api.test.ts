/**
 * The read API: filters, keyset pagination newest first, sessions, and the line between projects and
 * tenants (a key of one project never sees another project's data).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';

let collector: TestCollector;
let otherKey: string; // a key of a project in another tenant
const base = Date.parse('2026-01-01T00:00:00Z');

async function ingest(key: string, spans: object[]) {
  const response = await collector.request('/v1/traces', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(otlpJson(spans)),
  });
  expect(response.status).toBe(200);
}

async function get(path: string, key = collector.apiKey) {
  const response = await collector.request(path, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: await response.json() as any };
}

beforeAll(async () => {
  collector = await startTestCollector();
  // A second tenant with its own project and key, created as an operator would (direct rows).
  const tenantId = randomUUID();
  const projectId = randomUUID();
  await collector.db('tenants').insert({ id: tenantId, slug: 'other', name: 'Other' });
  await collector.db('projects').insert({ id: projectId, tenant_id: tenantId, slug: 'p', name: 'Other project' });
  otherKey = (await collector.apiKeys.create({ tenantId, projectId, name: 'other', scopes: ['ingest', 'read'], createdBy: null })).key;

  // 12 traces in the default project, one per minute; every third one errors and uses model-b.
  const spans = Array.from({ length: 12 }, (_, i) =>
    jsonSpan({
      name: `trace-${i}`,
      startMs: base + i * 60_000,
      statusCode: i % 3 === 0 ? 2 : 1,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': i % 3 === 0 ? 'model-b' : 'model-a',
        'session.id': `s-${i % 2}`,
        'user.id': `u-${i % 4}`,
        'gen_ai.prompt': `question number ${i}`,
      },
    }),
  );
  await ingest(collector.apiKey, spans);
  await ingest(otherKey, [jsonSpan({ name: 'secret-of-other-tenant', startMs: base })]);
  await collector.shipped();
});
afterAll(async () => {
  await collector?.close();
});

describe('GET /api/v1/traces', () => {
  it('pages newest first with a cursor, each trace once', async () => {
    const seen: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page = await get(`/api/v1/traces?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((t: { name: string }) => t.name));
      cursor = page.body.next_cursor;
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `trace-${11 - i}`));
  });

  it('filters by time range, model, status, session, user and text', async () => {
    const names = async (query: string) => (await get(`/api/v1/traces?${query}`)).body.data.map((t: { name: string }) => t.name).sort();
    expect(await names(`from=${new Date(base + 10 * 60_000).toISOString()}`)).toEqual(['trace-10', 'trace-11']);
    expect(await names(`to=${base + 2 * 60_000}`)).toEqual(['trace-0', 'trace-1']);
    expect(await names('model=model-b')).toEqual(['trace-0', 'trace-3', 'trace-6', 'trace-9']);
    expect(await names('status=error')).toEqual(['trace-0', 'trace-3', 'trace-6', 'trace-9']);
    expect((await names('status=ok')).length).toBe(8);
    expect(await names('user_id=u-1')).toEqual(['trace-1', 'trace-5', 'trace-9']);
    expect(await names('session_id=s-1&model=model-b')).toEqual(['trace-3', 'trace-9']);
    expect(await names('q=number%2011')).toEqual(['trace-11']);
  });

  it('says what is wrong with a bad parameter', async () => {
    expect((await get('/api/v1/traces?from=yesterday')).body.error.message).toMatch(/from must be an RFC 3339 time/);
    expect((await get('/api/v1/traces?status=fine')).status).toBe(400);
    expect((await get('/api/v1/traces?limit=0')).status).toBe(400);
    expect((await get('/api/v1/traces?cursor=zzz')).body.error.message).toMatch(/cursor is not valid/);
    expect((await get('/api/v1/traces/not-a-trace')).status).toBe(400);
    const wrongMethod = await collector.request('/api/v1/traces', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect((await collector.request('/api/v1/nothing-here')).status).toBe(404);
    expect((await get(`/api/v1/metrics/usage?from=2000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z`)).body.error.message).toMatch(/more than 1500 days/);
  });
});

describe('sessions', () => {
  it('lists sessions with totals and replays one in order', async () => {
    const list = await get('/api/v1/sessions');
    expect(list.body.data.map((s: { session_id: string }) => s.session_id).sort()).toEqual(['s-0', 's-1']);
    const detail = await get('/api/v1/sessions/s-0');
    expect(detail.body.session).toMatchObject({ trace_count: 6, span_count: 6, error_count: 2, models: ['model-a', 'model-b'] });
    expect(detail.body.traces.map((t: { name: string }) => t.name)).toEqual(['trace-0', 'trace-2', 'trace-4', 'trace-6', 'trace-8', 'trace-10']);
    expect((await get('/api/v1/sessions/unknown')).status).toBe(404);
    const first = await get('/api/v1/sessions?limit=1');
    const second = await get(`/api/v1/sessions?limit=1&cursor=${first.body.next_cursor}`);
    expect([first.body.data[0].session_id, second.body.data[0].session_id]).toEqual(['s-1', 's-0']); // s-1 was active last
    expect(second.body.next_cursor).toBeNull();
  });
});

describe('GET /api/v1/metrics/usage', () => {
  it('buckets requests, tokens and errors per hour and per model within the range', async () => {
    const range = `from=${new Date(base).toISOString()}&to=${new Date(base + 2 * 3600_000).toISOString()}`;
    const total = await get(`/api/v1/metrics/usage?${range}&granularity=hour`);
    expect(total.status).toBe(200);
    expect(total.body).toMatchObject({ bucket_seconds: 3600, group_by: 'none' });
    expect(total.body.data).toHaveLength(1);
    expect(total.body.data[0]).toMatchObject({ bucket: '2026-01-01T00:00:00.000Z', requests: 12, errors: 4 });
    const byModel = await get(`/api/v1/metrics/usage?${range}&group_by=model`);
    expect(byModel.body.bucket_seconds).toBe(60); // auto: the finest granularity within 200 buckets
    const perModel: Record<string, number> = {};
    for (const row of byModel.body.data) perModel[row.model] = (perModel[row.model] ?? 0) + row.requests;
    expect(perModel).toEqual({ 'model-a': 8, 'model-b': 4 });
    expect((await get(`/api/v1/metrics/usage?${range}&group_by=color`)).status).toBe(400);
    expect((await get(`/api/v1/metrics/usage?from=${base}&to=${base}`)).body.error.message).toMatch(/from must be before to/);
    expect((await get('/api/v1/metrics/usage?granularity=minute&from=2020-01-01T00:00:00Z')).status).toBe(400);
    expect((await get(`/api/v1/metrics/usage?${range}`, otherKey)).body.data.map((r: { requests: number }) => r.requests)).toEqual([0]);
  });
});

describe('the other dashboard metrics', () => {
  const range = () => `from=${new Date(base).toISOString()}&to=${new Date(base + 2 * 3600_000).toISOString()}`;

  it('breaks usage down by model, latency, errors, users, sessions and project', async () => {
    const models = (await get(`/api/v1/metrics/models?${range()}`)).body.data;
    expect(models.map((m: any) => [m.model, m.requests, m.errors])).toEqual(expect.arrayContaining([['model-a', 8, 0], ['model-b', 4, 4]]));
    const latency = (await get(`/api/v1/metrics/latency?${range()}&model=model-b`)).body.data;
    expect(latency).toHaveLength(1);
    expect(latency[0]).toMatchObject({ model: 'model-b', requests: 4 });
    const errors = (await get(`/api/v1/metrics/errors?${range()}&granularity=hour`)).body.data;
    expect(errors).toEqual([expect.objectContaining({ spans: 12, errors: 4, error_rate: 4 / 12 })]);
    const users = (await get(`/api/v1/metrics/top-users?${range()}&limit=2`)).body.data;
    expect(users).toHaveLength(2);
    expect(users.every((u: any) => u.traces === 3)).toBe(true);
    const sessions = (await get(`/api/v1/metrics/top-sessions?${range()}`)).body.data;
    expect(sessions.map((x: any) => x.session_id).sort()).toEqual(['s-0', 's-1']);
    const projects = (await get(`/api/v1/metrics/cost-by-project?${range()}`)).body.data;
    expect(projects).toEqual([expect.objectContaining({ project_id: collector.projectId, requests: 12 })]);
    expect((await get(`/api/v1/metrics/top-users?${range()}&limit=1000`)).status).toBe(400);
  });

  it('groups usage by user', async () => {
    const rows = (await get(`/api/v1/metrics/usage?${range()}&granularity=hour&group_by=user`)).body.data;
    expect(rows.map((r: any) => [r.user_id, r.requests]).sort()).toEqual([['u-0', 3], ['u-1', 3], ['u-2', 3], ['u-3', 3]]);
  });
});

describe('isolation', () => {
  it('a key of one project never sees another project\'s traces, sessions or spans', async () => {
    const other = await get('/api/v1/traces', otherKey);
    expect(other.body.data.map((t: { name: string }) => t.name)).toEqual(['secret-of-other-tenant']);
    const mine = await get('/api/v1/traces?limit=500');
    expect(mine.body.data.map((t: { name: string }) => t.name)).not.toContain('secret-of-other-tenant');
    const foreignTrace = other.body.data[0].trace_id;
    expect((await get(`/api/v1/traces/${foreignTrace}`)).status).toBe(404);
    expect((await get('/api/v1/sessions/s-0', otherKey)).status).toBe(404);
    expect((await get(`/api/v1/traces/${randomTraceId()}`)).status).toBe(404);
    const projects = await get('/api/v1/projects', otherKey);
    expect(projects.body.data).toHaveLength(1);
    expect(projects.body.data[0].name).toBe('Other project');
  });

  it('a key without the read scope gets 403 on reads; a read-only key gets 403 on ingestion', async () => {
    const ingestOnly = await collector.apiKeys.create({ tenantId: collector.tenantId, projectId: collector.projectId, name: 'i', scopes: ['ingest'], createdBy: null });
    expect((await get('/api/v1/traces', ingestOnly.key)).status).toBe(403);
    const readOnly = await collector.apiKeys.create({ tenantId: collector.tenantId, projectId: collector.projectId, name: 'r', scopes: ['read'], createdBy: null });
    const response = await collector.request('/v1/traces', { method: 'POST', headers: { authorization: `Bearer ${readOnly.key}`, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(403);
  });

  it('a dashboard session reads the projects of its tenants and refuses others', async () => {
    const login = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/observa_session=.+; path=\/; expires=.+; samesite=lax; httponly/i);
    const headers = { cookie: cookie.split(';')[0] };
    const projects = await (await fetch(`${collector.url}/api/v1/projects`, { headers })).json() as any;
    expect(projects.data.map((p: { id: string }) => p.id)).toEqual([collector.projectId]);
    const traces = await (await fetch(`${collector.url}/api/v1/traces?limit=1`, { headers })).json() as any;
    expect(traces.data[0].project_id).toBe(collector.projectId);
    const otherProject = (await get('/api/v1/projects', otherKey)).body.data[0].id;
    expect((await fetch(`${collector.url}/api/v1/traces?project_id=${otherProject}`, { headers })).status).toBe(404);
    const wrong = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: 'nope' }) });
    expect(wrong.status).toBe(401);
    // A cookie-authenticated write carries the session's CSRF token.
    const { csrf_token: csrf } = await login.json() as any;
    const logout = await fetch(`${collector.url}/api/v1/auth/logout`, { method: 'POST', headers: { ...headers, 'x-observa-csrf': csrf } });
    expect(logout.status).toBe(204);
    expect((await fetch(`${collector.url}/api/v1/traces`, { headers })).status).toBe(401);
  });
});
