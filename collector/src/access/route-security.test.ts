/**
 * The route-by-route security table (issue #6): every route the app answers is listed here with the
 * permission it needs, and called as each persona that must be refused — no credential, a revoked key,
 * a member and a key of another tenant, a viewer, a member, keys without the scope — expecting a
 * refusal every time. Allowed personas are called on the read routes as a positive control, and a
 * route added without a row here fails the coverage check.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../app/app.ts';
import { addMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { PERMISSIONS, roleAtLeast, type Permission, type PermissionRule, type Role } from './permissions.ts';

/** What a route requires: a permission from the table, or one of the rules that are not about a project or tenant. */
type Rule = Permission | 'public' | 'ingest' | 'anyone' | 'signed-in' | 'instance-admin';

interface Ids {
  tenant: string;
  project: string;
  trace: string;
  session: string;
  endUser: string;
  key: string;
  member: string;
  invitation: string;
  deletion: string;
}

interface RouteRow {
  method: string;
  path: string;
  rule: Rule;
  /** A concrete call on tenant A's resources. */
  url: (ids: Ids) => string;
  body?: unknown;
}

const P = (ids: Ids) => `project_id=${ids.project}`;

const ROUTES: RouteRow[] = [
  { method: 'GET', path: '/healthz', rule: 'public', url: () => '/healthz' },
  { method: 'POST', path: '/v1/traces', rule: 'ingest', url: () => '/v1/traces', body: { resourceSpans: [] } },
  { method: 'POST', path: '/v1/logs', rule: 'ingest', url: () => '/v1/logs', body: { resourceLogs: [] } },
  // Answers 501 "not supported" to anyone: there is nothing behind it to protect.
  { method: 'POST', path: '/v1/metrics', rule: 'public', url: () => '/v1/metrics', body: {} },
  // Langfuse-compatible OTLP endpoint: takes Basic <project id>:<key> too; a Bearer key is checked as on /v1/traces.
  { method: 'POST', path: '/api/public/otel/v1/traces', rule: 'ingest', url: () => '/api/public/otel/v1/traces', body: { resourceSpans: [] } },
  { method: 'POST', path: '/api/v1/events/ingest', rule: 'ingest', url: () => '/api/v1/events/ingest', body: [] },
  { method: 'POST', path: '/api/v1/auth/login', rule: 'public', url: () => '/api/v1/auth/login' },
  { method: 'POST', path: '/api/v1/auth/logout', rule: 'anyone', url: () => '/api/v1/auth/logout' },
  { method: 'POST', path: '/api/v1/auth/logout-all', rule: 'signed-in', url: () => '/api/v1/auth/logout-all' },
  { method: 'GET', path: '/api/v1/auth/sessions', rule: 'signed-in', url: () => '/api/v1/auth/sessions' },
  { method: 'DELETE', path: '/api/v1/auth/sessions/:sessionId', rule: 'signed-in', url: () => '/api/v1/auth/sessions/00000000-0000-4000-8000-000000000000' },
  { method: 'POST', path: '/api/v1/auth/password', rule: 'signed-in', url: () => '/api/v1/auth/password', body: {} },
  { method: 'GET', path: '/api/v1/auth/me', rule: 'signed-in', url: () => '/api/v1/auth/me' },
  { method: 'GET', path: '/api/v1/projects', rule: 'anyone', url: () => '/api/v1/projects' },
  { method: 'POST', path: '/api/v1/tenants/:tenantId/projects', rule: 'projects:create', url: (i) => `/api/v1/tenants/${i.tenant}/projects`, body: { name: 'intruder' } },
  { method: 'GET', path: '/api/v1/projects/:projectId', rule: 'project:read', url: (i) => `/api/v1/projects/${i.project}` },
  { method: 'PATCH', path: '/api/v1/projects/:projectId', rule: 'project:settings', url: (i) => `/api/v1/projects/${i.project}`, body: { retention_days: 1 } },
  { method: 'DELETE', path: '/api/v1/projects/:projectId', rule: 'project:delete', url: (i) => `/api/v1/projects/${i.project}` },
  { method: 'GET', path: '/api/v1/projects/:projectId/api-keys', rule: 'api_keys:manage', url: (i) => `/api/v1/projects/${i.project}/api-keys` },
  { method: 'POST', path: '/api/v1/projects/:projectId/api-keys', rule: 'api_keys:manage', url: (i) => `/api/v1/projects/${i.project}/api-keys`, body: { name: 'intruder', scopes: ['read'] } },
  { method: 'POST', path: '/api/v1/projects/:projectId/api-keys/:keyId/rotate', rule: 'api_keys:manage', url: (i) => `/api/v1/projects/${i.project}/api-keys/${i.key}/rotate` },
  { method: 'DELETE', path: '/api/v1/projects/:projectId/api-keys/:keyId', rule: 'api_keys:manage', url: (i) => `/api/v1/projects/${i.project}/api-keys/${i.key}` },
  { method: 'GET', path: '/api/v1/projects/:projectId/model-prices', rule: 'project:read', url: (i) => `/api/v1/projects/${i.project}/model-prices` },
  { method: 'PUT', path: '/api/v1/projects/:projectId/model-prices', rule: 'project:settings', url: (i) => `/api/v1/projects/${i.project}/model-prices`, body: { overrides: [] } },
  { method: 'GET', path: '/api/v1/model-prices', rule: 'anyone', url: () => '/api/v1/model-prices' },
  { method: 'GET', path: '/api/v1/traces', rule: 'project:read', url: (i) => `/api/v1/traces?${P(i)}` },
  { method: 'GET', path: '/api/v1/traces/:traceId', rule: 'project:read', url: (i) => `/api/v1/traces/${i.trace}?${P(i)}` },
  { method: 'DELETE', path: '/api/v1/traces/:traceId', rule: 'data:delete', url: (i) => `/api/v1/traces/${i.trace}?${P(i)}` },
  { method: 'GET', path: '/api/v1/sessions', rule: 'project:read', url: (i) => `/api/v1/sessions?${P(i)}` },
  { method: 'GET', path: '/api/v1/sessions/:sessionId', rule: 'project:read', url: (i) => `/api/v1/sessions/${i.session}?${P(i)}` },
  { method: 'DELETE', path: '/api/v1/sessions/:sessionId', rule: 'data:delete', url: (i) => `/api/v1/sessions/${i.session}?${P(i)}` },
  { method: 'DELETE', path: '/api/v1/users/:userId', rule: 'data:delete', url: (i) => `/api/v1/users/${i.endUser}?${P(i)}` },
  { method: 'GET', path: '/api/v1/deletions/:deletionId', rule: 'project:read', url: (i) => `/api/v1/deletions/${i.deletion}?${P(i)}` },
  ...['usage', 'models', 'latency', 'errors', 'top-users', 'top-sessions', 'cost-by-project'].map((name): RouteRow => (
    { method: 'GET', path: `/api/v1/metrics/${name}`, rule: 'project:read', url: (i) => `/api/v1/metrics/${name}?${P(i)}` })),
  { method: 'GET', path: '/api/v1/analytics/delivery', rule: 'project:read', url: (i) => `/api/v1/analytics/delivery?${P(i)}` },
  { method: 'POST', path: '/api/v1/analytics/dead-letters/:id/retry', rule: 'delivery:retry', url: (i) => `/api/v1/analytics/dead-letters/1/retry?${P(i)}` },
  { method: 'POST', path: '/api/v1/scores', rule: 'scores:write', url: (i) => `/api/v1/scores?${P(i)}`, body: { trace_id: 'f'.repeat(32), name: 'intruder', value: 1 } },
  { method: 'GET', path: '/api/v1/scores', rule: 'project:read', url: (i) => `/api/v1/scores?${P(i)}` },
  { method: 'GET', path: '/api/v1/tenants', rule: 'signed-in', url: () => '/api/v1/tenants' },
  { method: 'POST', path: '/api/v1/tenants', rule: 'instance-admin', url: () => '/api/v1/tenants', body: { name: 'Intruder' } },
  { method: 'GET', path: '/api/v1/tenants/:tenantId', rule: 'members:read', url: (i) => `/api/v1/tenants/${i.tenant}` },
  { method: 'GET', path: '/api/v1/tenants/:tenantId/analytics', rule: 'tenant:settings', url: (i) => `/api/v1/tenants/${i.tenant}/analytics` },
  { method: 'PUT', path: '/api/v1/tenants/:tenantId/analytics', rule: 'tenant:settings', url: (i) => `/api/v1/tenants/${i.tenant}/analytics`, body: { host: 'https://evil.example' } },
  { method: 'GET', path: '/api/v1/tenants/:tenantId/members', rule: 'members:read', url: (i) => `/api/v1/tenants/${i.tenant}/members` },
  { method: 'PATCH', path: '/api/v1/tenants/:tenantId/members/:userId', rule: 'members:manage', url: (i) => `/api/v1/tenants/${i.tenant}/members/${i.member}`, body: { role: 'owner' } },
  // The guard admits any member (a member may leave); removing someone else needs members:manage.
  { method: 'DELETE', path: '/api/v1/tenants/:tenantId/members/:userId', rule: 'members:manage', url: (i) => `/api/v1/tenants/${i.tenant}/members/${i.member}` },
  { method: 'POST', path: '/api/v1/tenants/:tenantId/invitations', rule: 'members:manage', url: (i) => `/api/v1/tenants/${i.tenant}/invitations`, body: { email: 'intruder@evil.example', role: 'owner' } },
  { method: 'GET', path: '/api/v1/tenants/:tenantId/invitations', rule: 'members:manage', url: (i) => `/api/v1/tenants/${i.tenant}/invitations` },
  { method: 'DELETE', path: '/api/v1/tenants/:tenantId/invitations/:invitationId', rule: 'members:manage', url: (i) => `/api/v1/tenants/${i.tenant}/invitations/${i.invitation}` },
  { method: 'GET', path: '/api/v1/invitations/:token', rule: 'public', url: () => '/api/v1/invitations/not-a-token' },
  { method: 'POST', path: '/api/v1/invitations/:token/accept', rule: 'public', url: () => '/api/v1/invitations/not-a-token/accept' },
  { method: 'GET', path: '/api/v1/tenants/:tenantId/usage', rule: 'tenant:usage', url: (i) => `/api/v1/tenants/${i.tenant}/usage` },
  { method: 'PUT', path: '/api/v1/tenants/:tenantId/quota', rule: 'instance-admin', url: (i) => `/api/v1/tenants/${i.tenant}/quota`, body: { monthly_event_quota: 0 } },
  { method: 'GET', path: '/api/v1/audit-logs', rule: 'audit:read', url: (i) => `/api/v1/audit-logs?tenant_id=${i.tenant}` },
];

type Persona = 'none' | 'revoked key' | 'other tenant owner' | 'other tenant key' | 'viewer' | 'member' | 'admin' | 'ingest-only key' | 'read-only key' | 'owner';
const SESSIONS: Partial<Record<Persona, Role>> = { viewer: 'viewer', member: 'member', admin: 'admin', owner: 'owner', 'other tenant owner': 'owner' };
const KEY_SCOPE: Partial<Record<Persona, 'ingest' | 'read'>> = { 'ingest-only key': 'ingest', 'read-only key': 'read' };

/**
 * What must happen when `persona` calls a route with `rule`: 'refused' with one of the statuses, 'allowed',
 * or 'own' (allowed, but only on the caller's own tenant: the answer must not mention tenant A).
 */
function expectation(rule: Rule, persona: Persona): { refused: number[] } | 'allowed' | 'own' | 'skip' {
  if (rule === 'public') return 'skip';
  if (persona === 'none' || persona === 'revoked key') return { refused: [401] };
  const session = SESSIONS[persona];
  const scope = KEY_SCOPE[persona];
  const isKey = session === undefined;
  if (rule === 'ingest') {
    if (!isKey) return { refused: [401] };
    if (persona === 'other tenant key') return 'own';
    return scope === 'read' ? { refused: [403] } : 'allowed';
  }
  if (rule === 'anyone') return persona === 'other tenant owner' || persona === 'other tenant key' ? 'own' : 'allowed';
  if (rule === 'signed-in') return isKey ? { refused: [403] } : persona === 'other tenant owner' ? 'own' : 'allowed';
  if (rule === 'instance-admin') return persona === 'owner' ? 'allowed' : { refused: [403] };
  const { minRole, keyScopes }: PermissionRule = PERMISSIONS[rule];
  if (persona === 'other tenant owner') return { refused: [404] };
  if (persona === 'other tenant key') return { refused: keyScopes.length === 0 ? [403] : [403, 404] };
  if (isKey) return keyScopes.includes(scope!) ? 'allowed' : { refused: [403] };
  return roleAtLeast(session, minRole) ? 'allowed' : { refused: [403] };
}

let a: TestCollector;
const ids = {} as Ids;
const tokens = {} as Record<Persona, string | null>;

beforeAll(async () => {
  a = await startTestCollector({ env: { OBSERVA_RATE_LIMIT_API_IP: '0', OBSERVA_RATE_LIMIT_API_TENANT: '0' } });
  ids.tenant = a.tenantId;
  ids.project = a.projectId;
  ids.trace = randomTraceId();
  ids.session = 'session-of-a';
  ids.endUser = 'end-user-of-a';
  const ingest = await a.request('/v1/traces', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(otlpJson([
      jsonSpan({ traceId: ids.trace, name: 'a-trace', attributes: { 'session.id': ids.session, 'user.id': ids.endUser, 'gen_ai.request.model': 'gpt-4o' } }),
      jsonSpan({ name: 'doomed', attributes: { 'session.id': 'other-session' } }),
    ])),
  });
  expect(ingest.status).toBe(200);

  // Tenant B: its own owner and key.
  const owner = await callApi(a, 'POST', '/api/v1/auth/login', { body: { email: 'admin@test.local', password: 'correct horse battery staple' } });
  tokens.owner = owner.body.token;
  const tenantB = await callApi(a, 'POST', '/api/v1/tenants', { token: tokens.owner, body: { name: 'Tenant B' } });
  expect(tenantB.status).toBe(201);
  const tenantBId: string = tenantB.body.id;
  const otherOwner = await addMember(a, { role: 'owner', tenantId: tenantBId });
  tokens['other tenant owner'] = otherOwner.token;
  const projectsB = await callApi(a, 'GET', '/api/v1/projects', { token: otherOwner.token });
  const projectB: string = projectsB.body.data[0].id;
  const keyB = await callApi(a, 'POST', `/api/v1/projects/${projectB}/api-keys`, { token: otherOwner.token, body: { name: 'b', scopes: ['ingest', 'read'] } });
  tokens['other tenant key'] = keyB.body.key;

  for (const role of ['viewer', 'member', 'admin'] as const) tokens[role] = (await addMember(a, { role })).token;
  ids.member = (await addMember(a, { role: 'member' })).userId;
  const createKey = async (scopes: string[]) =>
    (await callApi(a, 'POST', `/api/v1/projects/${ids.project}/api-keys`, { token: tokens.owner, body: { name: scopes.join('+'), scopes } })).body;
  tokens['ingest-only key'] = (await createKey(['ingest'])).key;
  tokens['read-only key'] = (await createKey(['read'])).key;
  const revoked = await createKey(['ingest', 'read']);
  expect((await callApi(a, 'DELETE', `/api/v1/projects/${ids.project}/api-keys/${revoked.id}`, { token: tokens.owner })).status).toBe(204);
  tokens['revoked key'] = revoked.key;
  tokens.none = null;
  ids.key = (await createKey(['ingest'])).id;
  const invitation = await callApi(a, 'POST', `/api/v1/tenants/${ids.tenant}/invitations`, { token: tokens.owner, body: { email: 'invitee@test.local', role: 'viewer' } });
  ids.invitation = invitation.body.id;
  await a.shipped();
  const doomed = (await callApi(a, 'GET', `/api/v1/traces?${P(ids)}&q=doomed`, { token: tokens.owner })).body.data[0].trace_id;
  ids.deletion = (await callApi(a, 'DELETE', `/api/v1/traces/${doomed}?${P(ids)}`, { token: tokens.owner })).body.deletion_id;
  expect(ids.deletion).toBeTruthy();
}, 120_000);

afterAll(async () => {
  await a?.close();
});

const key = (method: string, path: string) => `${method} ${path}`;
const doc = () => fs.readFileSync(new URL('../../../docs/security.md', import.meta.url), 'utf8');

describe('the route table', () => {
  it('lists every route the app answers, and nothing it does not', () => {
    const registered = listRoutes(a.app).map((r) => key(r.method, r.path)).sort();
    expect(ROUTES.map((r) => key(r.method, r.path)).sort()).toEqual(registered);
  });

  // The checks in front of the routers (CSRF, per-IP limits, JSON bodies) decide by path: no other spelling may reach a route.
  it.each([
    ['POST', '/API/v1/projects/{project}/api-keys/{key}/rotate'],
    ['GET', '/Api/v1/projects'],
    ['POST', '/api/v1/auth/login/'],
    ['POST', '/api/v1/auth/logout-all/'],
  ])('answers %s %s with 404: only the exact spelling reaches a route', async (method, url) => {
    const path = url.replace('{project}', ids.project).replace('{key}', ids.key);
    const response = await fetch(`${a.url}${path}`, { method, headers: { authorization: `Bearer ${tokens.owner}`, 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    expect(response.status).toBe(404);
  });

  // Expectations below derive from PERMISSIONS, so the table itself is pinned by the documented one.
  it('holds the permissions docs/security.md prints', () => {
    const documented = [...doc().matchAll(/^\| `([a-z_:]+)` \| (\w+) \| ([^|]+) \|/gm)].map((m) => `${m[1]} ${m[2]} ${m[3].trim()}`).sort();
    const actual = Object.entries(PERMISSIONS).map(([name, rule]) => `${name} ${rule.minRole} ${rule.keyScopes.map((s) => `\`${s}\``).join(', ') || 'none'}`).sort();
    expect(documented).toEqual(actual);
  });

  it('is the one docs/security.md prints', () => {
    const documented = [...doc().matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| `([^`]+)` \|/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}`).sort();
    expect(documented).toEqual(ROUTES.map((r) => `${r.method} ${r.path} ${r.rule}`).sort());
  });
});

const PERSONAS: Persona[] = ['none', 'revoked key', 'other tenant owner', 'other tenant key', 'viewer', 'member', 'admin', 'ingest-only key', 'read-only key'];

/** Every (route, persona) pair with something to check: refusals everywhere, answers of allowed callers on reads. */
const CASES = ROUTES.flatMap((route) => PERSONAS.map((persona) => ({ route, persona, expected: expectation(route.rule, persona) })))
  .filter(({ route, expected }) => expected !== 'skip' && (typeof expected === 'object' || route.method === 'GET'));

describe('every route as every persona', () => {
  it.each(CASES)('$route.method $route.path ($route.rule) as $persona', async ({ route, persona, expected }) => {
    const answer = await callApi(a, route.method, route.url(ids), { token: tokens[persona], body: route.body });
    if (typeof expected === 'object') {
      expect(expected.refused, `${answer.status} ${JSON.stringify(answer.body)}`).toContain(answer.status);
    } else {
      expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(400);
      if (expected === 'own') expect(JSON.stringify(answer.body)).not.toContain(ids.tenant);
    }
  });
});

describe('positive control: the owner reads every read route', () => {
  it.each(ROUTES.filter((r) => r.method === 'GET' && r.rule !== 'public'))('$path', async (route) => {
    const answer = await callApi(a, route.method, route.url(ids), { token: tokens.owner });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  });
});
