/**
 * Every security-relevant action leaves an audit entry with actor, IP, time and target (issue #6):
 * each action is done once through the API, then read back through GET /api/v1/audit-logs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { encodeOutboxPayload } from '../pipeline/outbox-payload.ts';

/** The actions docs/security.md promises, each with the target type its entry names. */
const AUDITED: Record<string, string> = {
  'auth.login.success': 'user',
  'auth.login.failure': 'user',
  'auth.login.throttled': 'user',
  'auth.logout_all': 'user',
  'auth.session.revoke': 'user_session',
  'auth.password.change': 'user',
  'auth.password.change.failure': 'user',
  'api_key.create': 'api_key',
  'api_key.rotate': 'api_key',
  'api_key.revoke': 'api_key',
  'tenant.create': 'tenant',
  'tenant.analytics.update': 'tenant',
  'tenant.quota.update': 'tenant',
  'project.create': 'project',
  'project.update': 'project',
  'project.delete': 'project',
  'member.invite': 'invitation',
  'invitation.revoke': 'invitation',
  'invitation.accept': 'invitation',
  'member.role_change': 'user',
  'member.remove': 'user',
  'model_prices.update': 'project',
  'trace.delete': 'trace',
  'session.delete': 'session',
  'end_user.delete': 'end_user',
  'analytics.dead_letter.retry': 'outbox',
};

let collector: TestCollector;

beforeAll(async () => {
  collector = await startTestCollector({ env: { OBSERVA_LOGIN_MAX_FAILURES_PER_ACCOUNT: '2', OBSERVA_TRUST_PROXY: 'true' } });
}, 60_000);

afterAll(async () => {
  await collector?.close();
});

it('records each audited action with actor, IP, time and target', async () => {
  const c = collector;
  const from = (ip: string) => ({ 'x-forwarded-for': ip });
  const call = (method: string, path: string, token: string | null, body?: unknown, ip = '10.9.0.1') => callApi(c, method, path, { token, body, headers: from(ip) });
  const ok = async (answer: Promise<{ status: number; body: any }>) => {
    const { status, body } = await answer;
    expect(status, JSON.stringify(body)).toBeLessThan(300);
    return body;
  };

  // Sessions and accounts.
  const owner = (await ok(call('POST', '/api/v1/auth/login', null, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }))).token as string;
  const member = await addMember(c, { role: 'member' });
  for (let i = 0; i < 2; i++) expect((await call('POST', '/api/v1/auth/login', null, { email: member.email, password: 'wrong' }, '10.9.0.2')).status).toBe(401);
  expect((await call('POST', '/api/v1/auth/login', null, { email: member.email, password: member.password }, '10.9.0.2')).status).toBe(429);
  const spare = await addMember(c, { role: 'viewer' });
  const spareSessions = (await ok(call('GET', '/api/v1/auth/sessions', spare.token))).data;
  await ok(call('DELETE', `/api/v1/auth/sessions/${spareSessions[0].id}`, spare.token));
  const changer = await addMember(c, { role: 'viewer' });
  expect((await call('POST', '/api/v1/auth/password', changer.token, { current_password: 'not it', new_password: 'a brand new long password' })).status).toBe(400);
  await ok(call('POST', '/api/v1/auth/password', changer.token, { current_password: changer.password, new_password: 'a brand new long password' }));
  await ok(call('POST', '/api/v1/auth/logout-all', changer.token));

  // Keys, projects, tenant settings, quotas.
  const project = c.projectId;
  const key = await ok(call('POST', `/api/v1/projects/${project}/api-keys`, owner, { name: 'audited', scopes: ['ingest'] }));
  const rotated = await ok(call('POST', `/api/v1/projects/${project}/api-keys/${key.id}/rotate`, owner));
  expect((await call('DELETE', `/api/v1/projects/${project}/api-keys/${rotated.id}`, owner)).status).toBe(204);
  const extra = await ok(call('POST', `/api/v1/tenants/${c.tenantId}/projects`, owner, { name: 'Short-lived' }));
  await ok(call('PATCH', `/api/v1/projects/${extra.id}`, owner, { retention_days: 7 }));
  await ok(call('DELETE', `/api/v1/projects/${extra.id}`, owner));
  await ok(call('PUT', `/api/v1/projects/${project}/model-prices`, owner, { overrides: [] }));
  await ok(call('PUT', `/api/v1/tenants/${c.tenantId}/analytics`, owner, { host: 'https://api.tinybird.co', workspace_id: 'ws', append_token: 'p.append', admin_token: 'p.admin' }));
  await ok(call('PUT', `/api/v1/tenants/${c.tenantId}/quota`, owner, { monthly_event_quota: 1_000_000 }));
  const tenant = await ok(call('POST', '/api/v1/tenants', owner, { name: 'Audited tenant' }));

  // Members and invitations.
  const invited = await ok(call('POST', `/api/v1/tenants/${c.tenantId}/invitations`, owner, { email: 'joiner@test.local', role: 'viewer' }));
  await ok(call('POST', `/api/v1/invitations/${invited.token}/accept`, null, { name: 'Joiner', password: 'a long enough password' }));
  const dropped = await ok(call('POST', `/api/v1/tenants/${c.tenantId}/invitations`, owner, { email: 'never@test.local', role: 'viewer' }));
  await ok(call('DELETE', `/api/v1/tenants/${c.tenantId}/invitations/${dropped.id}`, owner));
  await ok(call('PATCH', `/api/v1/tenants/${c.tenantId}/members/${spare.userId}`, owner, { role: 'member' }));
  await ok(call('DELETE', `/api/v1/tenants/${c.tenantId}/members/${spare.userId}`, owner));

  // Deletions and a dead-letter re-queue.
  const traceId = randomTraceId();
  const ingest = await c.request('/v1/traces', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify(otlpJson([
      jsonSpan({ traceId, attributes: { 'session.id': 's-audit', 'user.id': 'u-audit' } }),
      jsonSpan({ attributes: { 'session.id': 's-other' } }),
      jsonSpan({ attributes: { 'user.id': 'u-other' } }),
    ])),
  });
  expect(ingest.status).toBe(200);
  await ok(call('DELETE', `/api/v1/traces/${traceId}?project_id=${project}`, owner));
  await ok(call('DELETE', `/api/v1/sessions/s-other?project_id=${project}`, owner));
  await ok(call('DELETE', `/api/v1/users/u-other?project_id=${project}`, owner));
  const [dead] = await c.db('ingest_outbox')
    .insert({ tenant_id: c.tenantId, project_id: project, event_count: 0, payload: await encodeOutboxPayload([]), dead_lettered_at: c.db.fn.now(), last_error: 'refused' })
    .returning('id');
  await ok(call('POST', `/api/v1/analytics/dead-letters/${dead.id}/retry?project_id=${project}`, owner));

  // Read back: the tenant's log (with its members' sign-ins) and the new tenant's own entry.
  const entries = [
    ...(await ok(call('GET', `/api/v1/audit-logs?tenant_id=${c.tenantId}&limit=500`, owner))).data,
    ...(await ok(call('GET', `/api/v1/audit-logs?tenant_id=${tenant.id}&limit=500`, owner))).data,
  ];
  for (const [action, targetType] of Object.entries(AUDITED)) {
    const entry = entries.find((e: any) => e.action === action);
    expect(entry, `no audit entry for ${action}`).toBeDefined();
    expect(entry.target_type, action).toBe(targetType);
    expect(entry.target_id, action).toBeTruthy();
    expect(entry.ip, action).toMatch(/^10\.9\.0\.\d$/);
    expect(Date.parse(entry.created_at), action).toBeGreaterThan(Date.now() - 120_000);
    // Who acted: a user, or nobody yet for sign-in attempts (the e-mail typed is the target).
    if (!action.startsWith('auth.login')) expect(entry.actor.user_id, action).toBeTruthy();
  }
  // Secrets never reach the log.
  expect(JSON.stringify(entries)).not.toMatch(/p\.append|p\.admin|a brand new long password|a long enough password/);
  expect(JSON.stringify(entries)).not.toContain(key.key);
}, 60_000);
