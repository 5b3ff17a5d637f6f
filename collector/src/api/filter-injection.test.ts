/**
 * SQL-injection strings in every filter parameter and path id of the read API answer 400, 404 or an
 * empty list: never a 5xx, never rows of another tenant. (The audit log's filters have their own suite.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { jsonSpan, otlpJson } from '../testing/otlp-json.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE trace_summaries; --",
  '1) OR (1=1',
  "%' OR 1=1 --",
  "' UNION SELECT id, email, password_hash FROM users --",
  '" OR ""="',
  "' OR tenant_id <> '' --",
  '$1',
  '{{tenant_id}}',
  '%',
  '_',
  '\\',
  'a\u0000b',
  "') FINAL WHERE 1=1 --",
];

/** Each read route with the filters it takes. */
const FILTERS: Record<string, string[]> = {
  '/api/v1/traces': ['from', 'to', 'session_id', 'user_id', 'conversation_id', 'model', 'tag', 'status', 'q', 'sort', 'order', 'limit', 'cursor'],
  '/api/v1/sessions': ['from', 'to', 'user_id', 'limit', 'cursor'],
  '/api/v1/scores': ['trace_id', 'name', 'limit'],
  '/api/v1/metrics/usage': ['from', 'to', 'granularity', 'group_by'],
  '/api/v1/metrics/models': ['from', 'to'],
  '/api/v1/metrics/latency': ['from', 'to', 'model'],
  '/api/v1/metrics/errors': ['from', 'to', 'granularity'],
  '/api/v1/metrics/top-users': ['from', 'to', 'limit'],
  '/api/v1/metrics/top-sessions': ['from', 'to', 'limit'],
  '/api/v1/metrics/cost-by-project': ['from', 'to'],
};

/** Routes that take an id in the path. */
const PATH_IDS = ['/api/v1/traces/', '/api/v1/sessions/', '/api/v1/deletions/', '/api/v1/projects/', '/api/v1/projects/{}/model-prices', '/api/v1/projects/{}/api-keys'];

const MARKER = 'secret-of-tenant-b';
let a: TestCollector;
let owner: string;

beforeAll(async () => {
  a = await startTestCollector({ env: { OBSERVA_RATE_LIMIT_API_IP: '0', OBSERVA_RATE_LIMIT_API_TENANT: '0' } });
  owner = (await addMember(a, { role: 'owner' })).token;
  // Tenant A has data that must not show up for a filter that matches nothing; tenant B a marker that must never show.
  const spans = (name: string) => JSON.stringify(otlpJson([jsonSpan({ name, attributes: { 'session.id': name, 'user.id': name, 'gen_ai.request.model': 'gpt-4o', 'gen_ai.prompt': name } })]));
  expect((await a.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: spans('a-trace') })).status).toBe(200);
  const tenantB = await callApi(a, 'POST', '/api/v1/tenants', { token: (await callApi(a, 'POST', '/api/v1/auth/login', { body: { email: 'admin@test.local', password: 'correct horse battery staple' } })).body.token, body: { name: 'B' } });
  const keyB = await a.apiKeys.create({ tenantId: tenantB.body.id, projectId: tenantB.body.default_project_id, name: 'b', scopes: ['ingest'], createdBy: null });
  expect((await a.request('/v1/traces', { method: 'POST', headers: { authorization: `Bearer ${keyB.key}`, 'content-type': 'application/json' }, body: spans(MARKER) })).status).toBe(200);
  await a.shipped();
}, 60_000);

afterAll(async () => {
  await a?.close();
});

function checkAnswer(answer: { status: number; body: any }, context: string) {
  expect([200, 400, 404], `${context}: ${answer.status} ${JSON.stringify(answer.body)}`).toContain(answer.status);
  expect(JSON.stringify(answer.body), context).not.toContain(MARKER);
  if (answer.status === 200 && Array.isArray(answer.body?.data)) {
    // No injected value matches tenant A's one trace either: a non-empty answer means the filter was bypassed.
    const rows = answer.body.data.filter((row: Record<string, unknown>) => Object.values(row).some((v) => v === 'a-trace' || (typeof v === 'number' && v > 0)));
    expect(rows, context).toEqual([]);
  }
}

const CASES = Object.entries(FILTERS).flatMap(([route, params]) => params.flatMap((param) => INJECTIONS.map((value) => ({ route, param, value }))));

describe('filter parameters', () => {
  it.each(CASES)('$route?$param=$value', async ({ route, param, value }) => {
    // A range that holds tenant A's trace, so an injected filter that is ignored would return it.
    const range = param === 'from' || param === 'to' ? '' : `&from=${new Date(Date.now() - 86_400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const answer = await callApi(a, 'GET', `${route}?project_id=${a.projectId}${range}&${param}=${encodeURIComponent(value)}`, { token: owner });
    checkAnswer(answer, `${route} ${param}`);
  });
});

describe('path ids', () => {
  it.each(PATH_IDS.flatMap((path) => INJECTIONS.map((value) => ({ path, value }))))('$path $value', async ({ path, value }) => {
    const url = path.includes('{}') ? path.replace('{}', encodeURIComponent(value)) : `${path}${encodeURIComponent(value)}?project_id=${a.projectId}`;
    const answer = await callApi(a, 'GET', url, { token: owner });
    expect([400, 404], `${answer.status} ${JSON.stringify(answer.body)}`).toContain(answer.status);
    expect(JSON.stringify(answer.body)).not.toContain(MARKER);
  });
});

describe('JSON bodies', () => {
  it('refuses a NUL character in any string with a 400 that says so', async () => {
    const answer = await callApi(a, 'POST', `/api/v1/scores?project_id=${a.projectId}`, { token: owner, body: { trace_id: 'f'.repeat(32), name: 'a\u0000b', value: 1 } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain('NUL');
  });
});
