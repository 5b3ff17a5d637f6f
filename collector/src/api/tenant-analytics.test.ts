/**
 * GET/PUT /api/v1/tenants/:tenantId/analytics on a real collector: who may call it (owners and admins
 * of that tenant; not members, not API keys, not other tenants), what it validates, that tokens never
 * come back in clear, and the audit entry.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
const sessions: Record<'owner' | 'admin' | 'member', string> = { owner: '', admin: '', member: '' };
let otherTenantId: string;
const settings = {
  host: 'https://api.eu-west-1.aws.tinybird.co/', workspace_id: 'ws-123',
  append_token: 'p.append-token-of-the-tenant-A1b2', admin_token: 'p.admin-token-of-the-tenant-C3d4',
};

async function login(email: string, password: string): Promise<string> {
  const response = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function call(method: 'GET' | 'PUT', credential: string, body?: unknown, tenantId = collector.tenantId) {
  const response = await collector.request(`/api/v1/tenants/${tenantId}/analytics`, {
    method,
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  collector = await startTestCollector();
  sessions.owner = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
  for (const role of ['admin', 'member'] as const) {
    const id = randomUUID();
    await collector.db('users').insert({ id, email: `tenant-${role}@test.local`, name: role, password_hash: await hashPassword(`${role} password`) });
    await collector.db('memberships').insert({ tenant_id: collector.tenantId, user_id: id, role });
    sessions[role] = await login(`tenant-${role}@test.local`, `${role} password`);
  }
  otherTenantId = randomUUID();
  await collector.db('tenants').insert({ id: otherTenantId, slug: 'other', name: 'Other' });
});
afterAll(async () => {
  await collector?.close();
});

describe('tenant analytics settings API', () => {
  it('shows the default source before any settings', async () => {
    const { status, text } = await call('GET', sessions.owner);
    expect(status).toBe(200);
    // This collector runs chDB: there is no deployment Tinybird workspace.
    expect(JSON.parse(text)).toEqual({
      host: null, workspace_id: null, append_token: { set: false, last4: null }, admin_token: { set: false, last4: null }, source: 'default', updated_at: null,
    });
  });

  it('lets an owner set them; tokens never come back in clear', async () => {
    const put = await call('PUT', sessions.owner, settings);
    expect(put.status).toBe(200);
    const got = await call('GET', sessions.owner);
    for (const { text } of [put, got]) {
      expect(text).not.toContain('append-token-of-the-tenant');
      expect(text).not.toContain('admin-token-of-the-tenant');
      expect(JSON.parse(text)).toMatchObject({
        host: 'https://api.eu-west-1.aws.tinybird.co', workspace_id: 'ws-123', source: 'tenant',
        append_token: { set: true, last4: 'A1b2' }, admin_token: { set: true, last4: 'C3d4' }, updated_at: expect.any(String),
      });
    }
    const audit = await collector.db('audit_logs').where({ action: 'tenant.analytics.update', tenant_id: collector.tenantId }).first();
    expect(audit).toMatchObject({ target_type: 'tenant', target_id: collector.tenantId });
    expect(audit.details).toEqual({ changed: ['host', 'workspace_id', 'append_token', 'admin_token'], host: 'https://api.eu-west-1.aws.tinybird.co' });
  });

  it('lets an admin change one token and keeps the other', async () => {
    const { status, text } = await call('PUT', sessions.admin, { append_token: 'p.rotated-append-token-Z9y8' });
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ append_token: { set: true, last4: 'Z9y8' }, admin_token: { set: true, last4: 'C3d4' } });
  });

  it('refuses members (403), API keys (403) and other or unknown tenants (404)', async () => {
    expect((await call('GET', sessions.member)).status).toBe(403);
    expect((await call('PUT', sessions.member, settings)).status).toBe(403);
    expect((await call('GET', collector.apiKey)).status).toBe(403);
    expect((await call('PUT', collector.apiKey, settings)).status).toBe(403);
    expect((await call('GET', sessions.owner, undefined, otherTenantId)).status).toBe(404);
    expect((await call('PUT', sessions.owner, settings, otherTenantId)).status).toBe(404);
    expect((await call('GET', sessions.owner, undefined, randomUUID())).status).toBe(404);
    expect((await call('GET', sessions.owner, undefined, 'not-a-tenant')).status).toBe(404);
    expect((await collector.request(`/api/v1/tenants/${collector.tenantId}/analytics`, { headers: { authorization: '' } })).status).toBe(401);
  });

  it.each([
    [{ host: 'ftp://api.tinybird.co' }, 'host must be an http(s) URL'],
    [{ host: 'https://user:pw@api.tinybird.co' }, 'host must be an http(s) URL'],
    [{ host: 'not a url' }, 'host must be an http(s) URL'],
    [{ append_token: '  ' }, 'append_token must be a non-empty string'],
    [{ admin_token: 42 }, 'admin_token must be a non-empty string'],
    [{ appendToken: 'x' }, 'unknown field(s): appendToken'],
    [{}, 'nothing to change'],
    [[], 'send a JSON object'],
  ])('rejects %j with 400', async (body, message) => {
    const { status, text } = await call('PUT', sessions.owner, body);
    expect(status).toBe(400);
    expect(text).toContain(message);
  });

  it('needs every field for a tenant without settings', async () => {
    const tenantId = randomUUID();
    await collector.db('tenants').insert({ id: tenantId, slug: 'fresh', name: 'Fresh' });
    const owner = (await collector.db('users').where({ email: ADMIN_EMAIL }).first()).id;
    await collector.db('memberships').insert({ tenant_id: tenantId, user_id: owner, role: 'owner' });
    const { status, text } = await call('PUT', sessions.owner, { host: settings.host, append_token: 'p.only-one-token-here' }, tenantId);
    expect(status).toBe(400);
    expect(text).toContain('workspace_id, admin_token');
  });
});
