/**
 * Invitations on a real collector, users created through the API (invite + accept): the whole flow
 * (owner invites an admin, the admin a member; members cannot invite, admins cannot invite owners),
 * single use (also concurrently), expiry and revocation, the signed-in path and its e-mail check, other
 * tenants' ids, and the audit rows.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { addMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
let owner: string;
const DEAD_LINK = 'invitation not found: it may have been used, revoked or have expired';

function invite(token: string, email: string, role: string, tenantId = collector.tenantId) {
  return callApi(collector, 'POST', `/api/v1/tenants/${tenantId}/invitations`, { token, body: { email, role } });
}

function accept(inviteToken: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return callApi(collector, 'POST', `/api/v1/invitations/${inviteToken}/accept`, options);
}

/** Invites `email` and accepts as a new account; returns the new user's session token and id. */
async function join(inviter: string, email: string, role: string): Promise<{ token: string; userId: string }> {
  const invitation = await invite(inviter, email, role);
  expect(invitation.status).toBe(201);
  const accepted = await accept(invitation.body.token, { body: { name: email, password: 'a long enough password' } });
  expect(accepted.status).toBe(201);
  return { token: accepted.body.token, userId: accepted.body.user_id };
}

async function newTenant(name: string): Promise<string> {
  const created = await callApi(collector, 'POST', '/api/v1/tenants', { token: owner, body: { name } });
  expect(created.status).toBe(201);
  return created.body.id;
}

beforeAll(async () => {
  collector = await startTestCollector({ analytics: new InMemoryAnalyticsStore() });
  owner = (await callApi(collector, 'POST', '/api/v1/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } })).body.token;
});
afterAll(async () => {
  await collector?.close();
});

describe('invitations', () => {
  it('runs the whole flow: the owner invites an admin, who invites a member, who cannot invite', async () => {
    const invitation = await invite(owner, ' Ada@Example.com ', 'admin');
    expect(invitation.status).toBe(201);
    expect(invitation.body).toMatchObject({ email: 'ada@example.com', role: 'admin', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(invitation.body.accept_url).toBe(`${collector.url}/invitations/${invitation.body.token}`);
    const ttl = Date.parse(invitation.body.expires_at) - Date.now();
    expect(ttl).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600_000);
    // Only the SHA-256 is stored.
    const row = await collector.db('invitations').where({ id: invitation.body.id }).first();
    expect(row.token_hash).toBe(createHash('sha256').update(invitation.body.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(invitation.body.token);
    const pending = await callApi(collector, 'GET', `/api/v1/tenants/${collector.tenantId}/invitations`, { token: owner });
    expect(pending.body.data).toEqual([expect.objectContaining({ id: invitation.body.id, email: 'ada@example.com', role: 'admin', invited_by_email: ADMIN_EMAIL })]);
    expect(JSON.stringify(pending.body)).not.toContain(invitation.body.token);

    const shown = await callApi(collector, 'GET', `/api/v1/invitations/${invitation.body.token}`);
    expect(shown.body).toEqual({ tenant_name: 'Default', email: 'ada@example.com', role: 'admin', expires_at: invitation.body.expires_at, account_exists: false });

    const accepted = await accept(invitation.body.token, { body: { name: 'Ada', password: 'a long enough password' } });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ tenant_id: collector.tenantId, role: 'admin', token: expect.any(String) });
    expect(accepted.headers.getSetCookie().some((c) => c.startsWith('observa_session=') && c.includes('httponly'))).toBe(true);
    const admin = accepted.body.token as string;
    const tenants = await callApi(collector, 'GET', '/api/v1/tenants', { token: admin });
    expect(tenants.body.data).toEqual([expect.objectContaining({ id: collector.tenantId, role: 'admin' })]);
    // The new account signs in with its password like any other.
    expect((await callApi(collector, 'POST', '/api/v1/auth/login', { body: { email: 'ada@example.com', password: 'a long enough password' } })).status).toBe(200);

    const member = await join(admin, 'bob@example.com', 'member');
    const refused = await invite(member.token, 'carol@example.com', 'viewer');
    expect(refused.status).toBe(403);
    expect((await callApi(collector, 'GET', `/api/v1/tenants/${collector.tenantId}/invitations`, { token: member.token })).status).toBe(403);

    const ownerByAdmin = await invite(admin, 'dan@example.com', 'owner');
    expect(ownerByAdmin.status).toBe(403);
    expect(ownerByAdmin.body.error.message).toContain('only owners');
    expect((await invite(owner, 'dan@example.com', 'owner')).status).toBe(201);
  });

  it('accepts each link once, also when two accepts race', async () => {
    const invitation = await invite(owner, 'race@example.com', 'viewer');
    const body = { name: 'Race', password: 'a long enough password' };
    const statuses = (await Promise.all([accept(invitation.body.token, { body }), accept(invitation.body.token, { body })])).map((a) => a.status).sort();
    // The loser either finds the link used (404) or the account created by the winner (409).
    expect(statuses[0]).toBe(201);
    expect([404, 409]).toContain(statuses[1]);
    expect(Number((await collector.db('users').where({ email: 'race@example.com' }).count('* as n').first())?.n)).toBe(1);
    const again = await accept(invitation.body.token, { body });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe(DEAD_LINK);
    expect((await callApi(collector, 'GET', `/api/v1/invitations/${invitation.body.token}`)).status).toBe(404);
  });

  it('refuses expired, revoked and unknown links with the same 404', async () => {
    const expired = await invite(owner, 'late@example.com', 'viewer');
    await collector.db('invitations').where({ id: expired.body.id }).update({ expires_at: new Date(Date.now() - 1000) });
    const revoked = await invite(owner, 'revoked@example.com', 'viewer');
    const revoke = await callApi(collector, 'DELETE', `/api/v1/tenants/${collector.tenantId}/invitations/${revoked.body.id}`, { token: owner });
    expect(revoke.status).toBe(204);
    expect((await callApi(collector, 'DELETE', `/api/v1/tenants/${collector.tenantId}/invitations/${revoked.body.id}`, { token: owner })).status).toBe(404);
    const pending = await callApi(collector, 'GET', `/api/v1/tenants/${collector.tenantId}/invitations`, { token: owner });
    expect(pending.body.data.map((i: any) => i.email)).not.toEqual(expect.arrayContaining(['late@example.com']));
    expect(pending.body.data.map((i: any) => i.email)).not.toEqual(expect.arrayContaining(['revoked@example.com']));

    for (const token of [expired.body.token, revoked.body.token, 'A'.repeat(43), 'not-a-token']) {
      const shown = await callApi(collector, 'GET', `/api/v1/invitations/${token}`);
      const accepted = await accept(token, { body: { name: 'Late', password: 'a long enough password' } });
      expect([shown.status, shown.body.error.message]).toEqual([404, DEAD_LINK]);
      expect([accepted.status, accepted.body.error.message]).toEqual([404, DEAD_LINK]);
    }
    expect(await collector.db('users').whereIn('email', ['late@example.com', 'revoked@example.com']).first()).toBeUndefined();
  });

  it('joins a signed-in user with their own account, only when the e-mail is theirs', async () => {
    const tenantId = await newTenant('Second');
    const existing = await addMember(collector, { role: 'viewer' });
    const stranger = await addMember(collector, { role: 'viewer' });
    const invitation = await invite(owner, existing.email, 'member', tenantId);
    expect((await callApi(collector, 'GET', `/api/v1/invitations/${invitation.body.token}`)).body.account_exists).toBe(true);

    const anonymous = await accept(invitation.body.token, { body: { name: 'Someone', password: 'a long enough password' } });
    expect(anonymous.status).toBe(409);
    expect(anonymous.body.error.message).toContain('sign in first');
    const wrongUser = await accept(invitation.body.token, { token: stranger.token });
    expect(wrongUser.status).toBe(403);
    expect(wrongUser.body.error.message).toContain(existing.email);
    expect((await accept(invitation.body.token, { token: collector.apiKey })).status).toBe(403);

    const accepted = await accept(invitation.body.token, { token: existing.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ tenant_id: tenantId, role: 'member', user_id: existing.userId });
    const tenants = await callApi(collector, 'GET', '/api/v1/tenants', { token: existing.token });
    expect(tenants.body.data.map((t: any) => [t.id, t.role])).toEqual([[collector.tenantId, 'viewer'], [tenantId, 'member']]);

    const again = await invite(owner, existing.email.toUpperCase(), 'admin', tenantId);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('already a member');
    const row = await collector.db('invitations').where({ id: invitation.body.id }).first();
    expect(row).toMatchObject({ accepted_by: existing.userId });
  });

  it('refuses an accept by someone who is already a member, leaving the link unused', async () => {
    const member = await addMember(collector, { role: 'viewer' });
    // Made a member directly after the invitation was sent (invite refuses existing members).
    const invitation = await invite(owner, 'late-joiner@example.com', 'admin');
    await collector.db('users').where({ id: member.userId }).update({ email: 'late-joiner@example.com' });
    const accepted = await accept(invitation.body.token, { token: member.token });
    expect(accepted.status).toBe(409);
    expect(accepted.body.error.message).toContain('already a member');
    expect((await callApi(collector, 'GET', `/api/v1/invitations/${invitation.body.token}`)).status).toBe(200);
  });

  it('refuses bad input and cross-site account creation', async () => {
    expect((await invite(owner, 'not-an-email', 'viewer')).body.error.message).toContain('email');
    expect((await invite(owner, 'x@example.com', 'superuser')).body.error.message).toContain('role');
    expect((await callApi(collector, 'POST', `/api/v1/tenants/${collector.tenantId}/invitations`, { token: owner, body: { email: 'x@example.com', role: 'viewer', note: 1 } })).status).toBe(400);
    const invitation = await invite(owner, 'eve@example.com', 'viewer');
    expect((await invite(owner, 'eve@example.com', 'admin')).status).toBe(409);
    for (const body of [{}, { name: 'Eve', password: 'too short' }, { name: '', password: 'a long enough password' }, { name: 'Eve', password: 'a long enough password', admin: true }]) {
      expect((await accept(invitation.body.token, { body })).status).toBe(400);
    }
    const crossSite = await accept(invitation.body.token, { body: { name: 'Eve', password: 'a long enough password' }, headers: { origin: 'https://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect((await callApi(collector, 'GET', `/api/v1/invitations/${invitation.body.token}`)).status).toBe(200);
  });

  it("answers 404 for another tenant's invitations", async () => {
    const tenantId = await newTenant('Third');
    const theirs = await invite(owner, 'third@example.com', 'viewer', tenantId);
    const admin = await addMember(collector, { role: 'admin' });
    expect((await callApi(collector, 'DELETE', `/api/v1/tenants/${collector.tenantId}/invitations/${theirs.body.id}`, { token: admin.token })).status).toBe(404);
    expect((await callApi(collector, 'DELETE', `/api/v1/tenants/${tenantId}/invitations/${theirs.body.id}`, { token: admin.token })).status).toBe(404);
    expect((await callApi(collector, 'GET', `/api/v1/tenants/${tenantId}/invitations`, { token: admin.token })).status).toBe(404);
    expect((await invite(admin.token, 'x@example.com', 'viewer', tenantId)).status).toBe(404);
    expect((await callApi(collector, 'GET', `/api/v1/invitations/${theirs.body.token}`)).status).toBe(200);
  });

  it('audits invitations, revocations and acceptances', async () => {
    const invitation = await invite(owner, 'audited@example.com', 'member');
    const ownerId = (await collector.db('users').where({ email: ADMIN_EMAIL }).first('id')).id;
    const joined = await accept(invitation.body.token, { body: { name: 'Audited', password: 'a long enough password' } });
    const revoked = await invite(owner, 'audited-revoked@example.com', 'viewer');
    await callApi(collector, 'DELETE', `/api/v1/tenants/${collector.tenantId}/invitations/${revoked.body.id}`, { token: owner });
    const rows = await collector.db('audit_logs').whereIn('target_id', [invitation.body.id, revoked.body.id]).orderBy('id').select('action', 'tenant_id', 'actor_user_id', 'target_type', 'target_id', 'details');
    expect(rows).toEqual([
      { action: 'member.invite', tenant_id: collector.tenantId, actor_user_id: ownerId, target_type: 'invitation', target_id: invitation.body.id, details: { email: 'audited@example.com', role: 'member' } },
      { action: 'invitation.accept', tenant_id: collector.tenantId, actor_user_id: joined.body.user_id, target_type: 'invitation', target_id: invitation.body.id, details: { email: 'audited@example.com', role: 'member', new_account: true } },
      { action: 'member.invite', tenant_id: collector.tenantId, actor_user_id: ownerId, target_type: 'invitation', target_id: revoked.body.id, details: { email: 'audited-revoked@example.com', role: 'viewer' } },
      { action: 'invitation.revoke', tenant_id: collector.tenantId, actor_user_id: ownerId, target_type: 'invitation', target_id: revoked.body.id, details: { email: 'audited-revoked@example.com', role: 'viewer' } },
    ]);
  });
});
