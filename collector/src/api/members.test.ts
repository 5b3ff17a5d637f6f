/**
 * Tenant members on a real collector: the list, role changes and removals under the owner and
 * last-owner rules, leaving, other tenants' ids, and the audit rows.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { addMember, type TestMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
let tenantId: string;
let otherTenantId: string;

/** A fresh tenant per test (the bootstrap tenant's owner is the instance admin, untouched here). */
async function newTenant(slug: string): Promise<string> {
  const [row] = await collector.db('tenants').insert({ id: randomUUID(), slug, name: slug }).returning('id');
  return row.id;
}

function members(as: TestMember, tenant = tenantId) {
  return callApi(collector, 'GET', `/api/v1/tenants/${tenant}/members`, { token: as.token });
}

function setRole(as: TestMember, target: TestMember, role: string, tenant = tenantId) {
  return callApi(collector, 'PATCH', `/api/v1/tenants/${tenant}/members/${target.userId}`, { token: as.token, body: { role } });
}

function remove(as: TestMember, target: TestMember, tenant = tenantId) {
  return callApi(collector, 'DELETE', `/api/v1/tenants/${tenant}/members/${target.userId}`, { token: as.token });
}

async function roleIn(tenant: string, user: TestMember): Promise<string | undefined> {
  return (await collector.db('memberships').where({ tenant_id: tenant, user_id: user.userId }).first('role'))?.role;
}

beforeAll(async () => {
  collector = await startTestCollector({ analytics: new InMemoryAnalyticsStore() });
  otherTenantId = await newTenant('other');
});
afterAll(async () => {
  await collector?.close();
});

describe('members API', () => {
  it('lists members with e-mail, name, role and join time, to every member', async () => {
    tenantId = await newTenant('list');
    const owner = await addMember(collector, { role: 'owner', tenantId });
    const viewer = await addMember(collector, { role: 'viewer', tenantId });
    const answer = await members(viewer);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual([owner, viewer].map((m) => ({ user_id: m.userId, email: m.email, name: expect.any(String), role: expect.any(String), joined_at: expect.any(String) })));
    expect(answer.body.data.map((m: any) => m.role)).toEqual(['owner', 'viewer']);
  });

  it('lets admins manage admins, members and viewers, and only owners touch owners', async () => {
    tenantId = await newTenant('roles');
    const owner = await addMember(collector, { role: 'owner', tenantId });
    const admin = await addMember(collector, { role: 'admin', tenantId });
    const member = await addMember(collector, { role: 'member', tenantId });

    const promoted = await setRole(admin, member, 'admin');
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ user_id: member.userId, email: member.email, role: 'admin' });
    expect((await setRole(admin, member, 'viewer')).status).toBe(200);
    expect((await setRole(admin, member, 'owner')).status).toBe(403);
    expect((await setRole(admin, owner, 'admin')).status).toBe(403);
    expect((await setRole(admin, admin, 'owner')).status).toBe(403);
    expect((await setRole(member, member, 'admin')).status).toBe(403); // now a viewer
    expect(await roleIn(tenantId, owner)).toBe('owner');
    expect(await roleIn(tenantId, member)).toBe('viewer');
    expect((await setRole(admin, member, 'superuser')).status).toBe(400);

    const audit = await collector.db('audit_logs').where({ action: 'member.role_change', tenant_id: tenantId }).orderBy('id').select('actor_user_id', 'target_id', 'details');
    expect(audit).toEqual([
      { actor_user_id: admin.userId, target_id: member.userId, details: { before: 'member', after: 'admin' } },
      { actor_user_id: admin.userId, target_id: member.userId, details: { before: 'admin', after: 'viewer' } },
    ]);
  });

  it('never demotes or removes the last owner', async () => {
    tenantId = await newTenant('last-owner');
    const first = await addMember(collector, { role: 'owner', tenantId });
    const second = await addMember(collector, { role: 'member', tenantId });
    const demoted = await setRole(first, first, 'admin');
    expect(demoted.status).toBe(409);
    expect(demoted.body.error.message).toContain('no owner');
    expect((await remove(first, first)).status).toBe(409);

    expect((await setRole(first, second, 'owner')).status).toBe(200);
    expect((await setRole(first, first, 'admin')).status).toBe(200);
    expect((await remove(second, second)).status).toBe(409);
    expect(await roleIn(tenantId, second)).toBe('owner');
  });

  it('keeps an owner when two owners demote each other at once', async () => {
    tenantId = await newTenant('race');
    const a = await addMember(collector, { role: 'owner', tenantId });
    const b = await addMember(collector, { role: 'owner', tenantId });
    const statuses = (await Promise.all([setRole(a, b, 'admin'), setRole(b, a, 'admin')])).map((r) => r.status).sort();
    // The loser is refused: by the last-owner rule, or because it is no longer an owner itself.
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    expect(Number((await collector.db('memberships').where({ tenant_id: tenantId, role: 'owner' }).count('* as n').first())?.n)).toBe(1);
  });

  it('lets anyone leave; removing others needs an admin; a removed user keeps their session but loses access', async () => {
    tenantId = await newTenant('leave');
    const owner = await addMember(collector, { role: 'owner', tenantId });
    const admin = await addMember(collector, { role: 'admin', tenantId });
    const member = await addMember(collector, { role: 'member', tenantId });
    const viewer = await addMember(collector, { role: 'viewer', tenantId });

    expect((await remove(member, viewer)).status).toBe(403);
    expect((await remove(admin, owner)).status).toBe(403);
    expect((await remove(viewer, viewer)).status).toBe(204);
    expect((await remove(admin, member)).status).toBe(204);
    expect((await remove(admin, member)).status).toBe(404);

    // The session still works (it is not revoked), but the tenant is gone from the member's view.
    const tenants = await callApi(collector, 'GET', '/api/v1/tenants', { token: member.token });
    expect(tenants.status).toBe(200);
    expect(tenants.body.data).toEqual([]);
    expect((await members(member)).status).toBe(404);

    const audit = await collector.db('audit_logs').where({ action: 'member.remove', tenant_id: tenantId }).orderBy('id').select('actor_user_id', 'target_id', 'details');
    expect(audit).toEqual([
      { actor_user_id: viewer.userId, target_id: viewer.userId, details: { role: 'viewer', left: true } },
      { actor_user_id: admin.userId, target_id: member.userId, details: { role: 'member', left: false } },
    ]);
  });

  it("answers 404 for another tenant's ids and for users who are not members", async () => {
    tenantId = await newTenant('isolation');
    const owner = await addMember(collector, { role: 'owner', tenantId });
    const outsider = await addMember(collector, { role: 'member', tenantId: otherTenantId });
    expect((await members(owner, otherTenantId)).status).toBe(404);
    expect((await setRole(owner, outsider, 'viewer')).status).toBe(404);
    expect((await remove(owner, outsider)).status).toBe(404);
    expect((await setRole(owner, outsider, 'viewer', otherTenantId)).status).toBe(404);
    expect((await callApi(collector, 'DELETE', `/api/v1/tenants/${tenantId}/members/not-a-uuid`, { token: owner.token })).status).toBe(404);
    expect(await roleIn(otherTenantId, outsider)).toBe('member');
    expect((await callApi(collector, 'GET', `/api/v1/tenants/${tenantId}/members`, { token: collector.apiKey })).status).toBe(403);
  });
});
