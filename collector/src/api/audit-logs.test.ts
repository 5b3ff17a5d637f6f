/**
 * GET /api/v1/audit-logs on a real collector: each filter narrows, pages walk the whole list, tenants
 * see only their own entries (plus their members' sign-ins), roles below admin and API keys are
 * refused, and hostile filter values answer 400 or nothing, never 500 or someone else's rows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { recordAudit } from './audit.ts';

let collector: TestCollector;
let otherTenantId: string;
const users: Record<'admin' | 'member' | 'viewer' | 'otherOwner', { id: string; email: string; token: string }> = {} as any;
const session: Record<'owner' | keyof typeof users, string> = {} as any;
const KEY_ID = randomUUID();

async function login(email: string, password: string) {
  return fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
}

async function audit(credential: string, params: Record<string, string> = {}) {
  const response = await collector.request(`/api/v1/audit-logs?${new URLSearchParams(params)}`, { headers: { authorization: `Bearer ${credential}` } });
  return { status: response.status, body: (await response.json()) as any };
}

/** The entries the caller (by default the bootstrap tenant's owner) sees with these filters: one page of up to 500. */
async function all(params: Record<string, string> = {}, credential = session.owner) {
  const { status, body } = await audit(credential, { limit: '500', ...params });
  expect(body.next_cursor).toBeNull();
  expect(status).toBe(200);
  return body.data as any[];
}

beforeAll(async () => {
  collector = await startTestCollector();
  otherTenantId = randomUUID();
  await collector.db('tenants').insert({ id: otherTenantId, slug: 'other', name: 'Other' });
  for (const [name, role, tenant] of [['admin', 'admin', collector.tenantId], ['member', 'member', collector.tenantId], ['viewer', 'viewer', collector.tenantId], ['otherOwner', 'owner', otherTenantId]] as const) {
    const id = randomUUID();
    const email = `${name.toLowerCase()}@audit.test`;
    await collector.db('users').insert({ id, email, name, password_hash: await hashPassword(`${name} password`) });
    await collector.db('memberships').insert({ tenant_id: tenant, user_id: id, role });
    users[name] = { id, email, token: '' };
  }
  session.owner = ((await (await login(ADMIN_EMAIL, ADMIN_PASSWORD)).json()) as any).token;
  for (const name of Object.keys(users) as (keyof typeof users)[]) {
    session[name] = ((await (await login(users[name].email, `${name} password`)).json()) as any).token;
  }
  expect((await login(users.member.email, 'wrong password')).status).toBe(401);
  expect((await login('nobody@audit.test', 'wrong password')).status).toBe(401);

  // A key created and revoked through the API, then entries with every field set, in both tenants.
  const created = await collector.request(`/api/v1/projects/${collector.projectId}/api-keys`, {
    method: 'POST', headers: { authorization: `Bearer ${session.owner}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ci', scopes: ['read'] }),
  });
  expect(created.status).toBe(201);
  const keyId = ((await created.json()) as any).id;
  expect((await collector.request(`/api/v1/projects/${collector.projectId}/api-keys/${keyId}`, { method: 'DELETE', headers: { authorization: `Bearer ${session.owner}` } })).status).toBe(204);
  for (const tenantId of [collector.tenantId, otherTenantId]) {
    await recordAudit(collector.db, { tenantId, action: 'scores.import', actorApiKeyId: KEY_ID, ip: '10.0.0.7', targetType: 'project', targetId: 'p-1', details: { rows: 3 } });
    await recordAudit(collector.db, { tenantId, action: 'apixkey.create', actorUserId: users.admin.id, ip: '2001:db8::1', targetType: 'widget', targetId: "o'brien" });
  }
  await collector.db('audit_logs').insert([
    { tenant_id: collector.tenantId, action: 'model_prices.update', created_at: '2020-01-15T00:00:00Z' },
    { tenant_id: collector.tenantId, action: 'model_prices.update', created_at: '2020-06-15T00:00:00Z' },
  ]);
});
afterAll(async () => {
  await collector?.close();
});

describe('GET /api/v1/audit-logs', () => {
  it("shows an owner the tenant's entries and its members' sign-ins, newest first, without naming the tenant", async () => {
    const rows = await all();
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['instance.bootstrap', 'api_key.create', 'api_key.revoke', 'scores.import', 'auth.login.success', 'auth.login.failure']));
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    for (const row of rows) {
      if (row.tenant_id === null) expect(row.action).toMatch(/^auth\./);
      else expect(row.tenant_id).toBe(collector.tenantId);
    }
    // Members' sign-ins, including a failed one by e-mail; not an unknown e-mail, not another tenant's user.
    const signIns = rows.filter((r) => r.action.startsWith('auth.login.'));
    expect(signIns.map((r) => r.target_id)).toEqual(expect.arrayContaining([ADMIN_EMAIL, users.member.email, users.viewer.email]));
    expect(signIns.some((r) => r.action === 'auth.login.failure' && r.target_id === users.member.email)).toBe(true);
    expect(signIns.some((r) => r.target_id === 'nobody@audit.test' || r.target_id === users.otherOwner.email)).toBe(false);

    const revoke = rows.find((r) => r.action === 'api_key.revoke');
    const owner = await collector.db('users').where({ email: ADMIN_EMAIL }).first('id');
    expect(revoke).toMatchObject({ tenant_id: collector.tenantId, actor: { user_id: owner.id, email: ADMIN_EMAIL, api_key_id: null }, target_type: 'api_key', details: { project_id: collector.projectId } });
    expect(revoke.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(rows.find((r) => r.action === 'scores.import')).toMatchObject({ actor: { user_id: null, email: null, api_key_id: KEY_ID }, ip: '10.0.0.7', target_id: 'p-1', details: { rows: 3 } });
  });

  it('narrows by each filter', async () => {
    const everything = await all();
    const only = (predicate: (row: any) => boolean) => everything.filter(predicate).map((r) => r.id);
    const cases: [Record<string, string>, (row: any) => boolean][] = [
      [{ action: 'api_key.create' }, (r) => r.action === 'api_key.create'],
      // A prefix, where "_" is a plain character: apixkey.create does not match api_key.*.
      [{ action: 'api_key.*' }, (r) => r.action.startsWith('api_key.')],
      [{ action: 'auth.login.*' }, (r) => r.action.startsWith('auth.login.')],
      [{ actor_user_id: users.admin.id }, (r) => r.actor.user_id === users.admin.id],
      [{ actor_api_key_id: KEY_ID }, (r) => r.actor.api_key_id === KEY_ID],
      [{ target_type: 'widget' }, (r) => r.target_type === 'widget'],
      [{ target_id: "o'brien" }, (r) => r.target_id === "o'brien"],
      [{ ip: '2001:db8::1' }, (r) => r.ip === '2001:db8::1'],
      [{ from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' }, (r) => r.created_at.startsWith('2020-01-15')],
      [{ to: String(Date.parse('2021-01-01T00:00:00Z')) }, (r) => r.created_at.startsWith('2020-')],
      [{ action: 'model_prices.update', from: '2020-03-01T00:00:00Z' }, (r) => r.action === 'model_prices.update' && !r.created_at.startsWith('2020-01')],
    ];
    for (const [params, predicate] of cases) {
      const expected = only(predicate);
      expect(expected.length, JSON.stringify(params)).toBeGreaterThan(0);
      expect(expected.length, JSON.stringify(params)).toBeLessThan(everything.length);
      expect((await all(params)).map((r) => r.id), JSON.stringify(params)).toEqual(expected);
    }
    expect(await all({ action: 'api_key.*', ip: '10.0.0.7' })).toEqual([]);
  });

  it('pages with limit and cursor through every entry exactly once', async () => {
    const everything = (await all()).map((r) => r.id);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const { status, body } = await audit(session.owner, { limit: '3', ...(cursor ? { cursor } : {}) });
      expect(status).toBe(200);
      expect(body.data.length).toBeLessThanOrEqual(3);
      seen.push(...body.data.map((r: any) => r.id));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(everything);
  });

  it("keeps tenants apart: another tenant's owner sees none of these entries and cannot ask for them", async () => {
    const ours = new Set((await all()).map((r) => r.id));
    const theirs = await all({}, session.otherOwner);
    expect(theirs.map((r) => r.action)).toEqual(expect.arrayContaining(['scores.import', 'apixkey.create', 'auth.login.success']));
    expect(theirs.filter((r) => ours.has(r.id))).toEqual([]);
    for (const row of theirs) expect([otherTenantId, null]).toContain(row.tenant_id);
    expect((await audit(session.otherOwner, { tenant_id: collector.tenantId })).status).toBe(404);
    expect((await audit(session.owner, { tenant_id: otherTenantId })).status).toBe(404);
  });

  it('lets admins in, refuses members, viewers and API keys', async () => {
    expect((await audit(session.admin)).status).toBe(200);
    for (const name of ['member', 'viewer'] as const) {
      const { status, body } = await audit(session[name], { tenant_id: collector.tenantId });
      expect(status).toBe(403);
      expect(body.error.message).toBe(`role "${name}" may not read the audit log`);
    }
    for (const params of [{}, { tenant_id: collector.tenantId }, { tenant_id: 'none' }] as Record<string, string>[]) {
      expect((await audit(collector.apiKey, params)).status).toBe(403);
    }
    expect((await collector.request('/api/v1/audit-logs', { headers: { authorization: '' } })).status).toBe(401);
  });

  it('asks a member of several tenants to choose one', async () => {
    await collector.db('memberships').insert({ tenant_id: otherTenantId, user_id: users.admin.id, role: 'viewer' });
    try {
      const { status, body } = await audit(session.admin);
      expect(status).toBe(400);
      expect(body.error.message).toMatch(/several tenants.*tenant_id/);
      expect((await audit(session.admin, { tenant_id: collector.tenantId })).status).toBe(200);
      expect((await audit(session.admin, { tenant_id: otherTenantId })).status).toBe(403);
    } finally {
      await collector.db('memberships').where({ tenant_id: otherTenantId, user_id: users.admin.id }).delete();
    }
  });

  it('shows instance administrators the instance-level entries with tenant_id=none, and no one else', async () => {
    const rows = await all({ tenant_id: 'none' });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.tenant_id).toBeNull();
    expect(rows.map((r) => r.target_id)).toEqual(expect.arrayContaining(['nobody@audit.test', users.otherOwner.email]));
    expect((await all({ tenant_id: 'none', action: 'auth.login.failure', target_id: 'nobody@audit.test' })).map((r) => r.action)).toEqual(['auth.login.failure']);
    expect((await audit(session.admin, { tenant_id: 'none' })).status).toBe(403);
    expect((await audit(session.otherOwner, { tenant_id: 'none' })).status).toBe(403);
  });

  it('answers 400 naming the parameter for malformed values', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ tenant_id: 'default' }, /tenant_id must be a tenant id/],
      [{ action: 'API_KEY.create' }, /action must be/],
      [{ action: '*' }, /action must be/],
      [{ action: 'api_key*' }, /action must be/],
      [{ action: 'api_key.*.create' }, /action must be/],
      [{ actor_user_id: 'admin' }, /actor_user_id must be a uuid/],
      [{ actor_api_key_id: '123' }, /actor_api_key_id must be a uuid/],
      [{ target_type: 'API Key' }, /target_type must be/],
      [{ ip: '10.0.0.300' }, /ip must be an IPv4 or IPv6 address/],
      [{ from: 'yesterday' }, /from must be an RFC 3339 time/],
      [{ to: 'soon' }, /to must be an RFC 3339 time/],
      [{ limit: '0' }, /limit must be an integer from 1 to 500/],
      [{ limit: '501' }, /limit must be an integer from 1 to 500/],
      [{ cursor: 'bm90IGEgY3Vyc29y' }, /cursor is not valid/],
      [{ target_id: 'x'.repeat(513) }, /target_id is longer than 512/],
    ];
    for (const [params, message] of cases) {
      const { status, body } = await audit(session.owner, params);
      expect(status, JSON.stringify(params)).toBe(400);
      expect(body.error.message, JSON.stringify(params)).toMatch(message);
    }
    const repeated = await collector.request('/api/v1/audit-logs?action=a&action=b', { headers: { authorization: `Bearer ${session.owner}` } });
    expect(repeated.status).toBe(400);
  });

  it('answers SQL injection in any parameter with 400 or no rows, never 500 or other rows', async () => {
    const attacks = [
      "' OR '1'='1", "x' OR 1=1 --", '1; DROP TABLE audit_logs; --', "') OR true --", '%', '_', 'api_key.%',
      `${otherTenantId}' OR tenant_id IS NOT NULL --`, '\\', 'none\' OR 1=1 --', '*', "auth.' || 'login.*",
    ];
    const parameters = ['tenant_id', 'action', 'actor_user_id', 'actor_api_key_id', 'target_type', 'target_id', 'ip', 'from', 'to', 'limit', 'cursor'];
    const before = await collector.db('audit_logs').count({ n: '*' }).first();
    for (const parameter of parameters) {
      for (const attack of attacks) {
        const { status, body } = await audit(session.owner, { [parameter]: attack });
        const label = `${parameter}=${attack}`;
        expect([200, 400], label).toContain(status);
        if (status === 200) expect(body.data, label).toEqual([]);
      }
    }
    const after = await collector.db('audit_logs').count({ n: '*' }).first();
    expect(Number(after!.n)).toBe(Number(before!.n));
  });
});
