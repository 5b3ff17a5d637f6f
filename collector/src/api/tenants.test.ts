/**
 * Tenants on a real collector: listing (own tenants with roles; all of them for instance administrators),
 * creation by instance administrators only (tenant + default project + owner, audited), and reading one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { addMember, type TestMember } from '../testing/add-member.ts';
import { callApi } from '../testing/call-api.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
let instanceAdmin: string;
let tenantOwner: TestMember;

beforeAll(async () => {
  collector = await startTestCollector({ analytics: new InMemoryAnalyticsStore() });
  const login = await callApi(collector, 'POST', '/api/v1/auth/login', { body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  instanceAdmin = login.body.token;
  tenantOwner = await addMember(collector, { role: 'owner' });
});
afterAll(async () => {
  await collector?.close();
});

describe('tenants API', () => {
  it('lets an instance administrator create a tenant with its default project, owned by the caller', async () => {
    const created = await callApi(collector, 'POST', '/api/v1/tenants', { token: instanceAdmin, body: { name: '  Acme Corp ' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Acme Corp', slug: 'acme-corp', role: 'owner', monthly_event_quota: null });
    const projects = await callApi(collector, 'GET', '/api/v1/projects', { token: instanceAdmin });
    expect(projects.body.data).toContainEqual(expect.objectContaining({ id: created.body.default_project_id, tenant_id: created.body.id, slug: 'default', role: 'owner' }));
    const audit = await collector.db('audit_logs').where({ action: 'tenant.create', target_id: created.body.id }).first();
    expect(audit).toMatchObject({ tenant_id: created.body.id, target_type: 'tenant', details: { name: 'Acme Corp', slug: 'acme-corp' } });
    expect(audit.actor_user_id).toBe(created.body.owner_user_id);

    const again = await callApi(collector, 'POST', '/api/v1/tenants', { token: instanceAdmin, body: { name: 'Other name', slug: 'acme-corp' } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('acme-corp');
  });

  it('makes the existing user named by owner_email the owner instead', async () => {
    const created = await callApi(collector, 'POST', '/api/v1/tenants', { token: instanceAdmin, body: { name: 'Beta', slug: 'beta', owner_email: tenantOwner.email.toUpperCase() } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ owner_user_id: tenantOwner.userId, role: null });
    const members = await callApi(collector, 'GET', `/api/v1/tenants/${created.body.id}/members`, { token: tenantOwner.token });
    expect(members.body.data).toEqual([expect.objectContaining({ user_id: tenantOwner.userId, role: 'owner' })]);
    // The creator is not a member of it: the tenant is someone else's.
    expect((await callApi(collector, 'GET', `/api/v1/tenants/${created.body.id}`, { token: instanceAdmin })).status).toBe(404);

    const unknown = await callApi(collector, 'POST', '/api/v1/tenants', { token: instanceAdmin, body: { name: 'Gamma', owner_email: 'nobody@test.local' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('nobody@test.local');
  });

  it('refuses bad input with a message naming the field', async () => {
    for (const [body, field] of [[{}, 'name'], [{ name: 'X', slug: 'Not A Slug' }, 'slug'], [{ name: 'X', plan: 'pro' }, 'plan']] as const) {
      const answer = await callApi(collector, 'POST', '/api/v1/tenants', { token: instanceAdmin, body });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toContain(field);
    }
  });

  it('lets no one else create tenants or list them all', async () => {
    expect((await callApi(collector, 'POST', '/api/v1/tenants', { token: tenantOwner.token, body: { name: 'Mine' } })).status).toBe(403);
    expect((await callApi(collector, 'POST', '/api/v1/tenants', { token: collector.apiKey, body: { name: 'Mine' } })).status).toBe(403);
    expect((await callApi(collector, 'GET', '/api/v1/tenants?all=true', { token: tenantOwner.token })).status).toBe(403);
    expect((await callApi(collector, 'GET', '/api/v1/tenants', { token: collector.apiKey })).status).toBe(403);
    expect((await callApi(collector, 'GET', '/api/v1/tenants')).status).toBe(401);
  });

  it("lists the caller's tenants with their role; all of them for an instance administrator", async () => {
    const own = await callApi(collector, 'GET', '/api/v1/tenants', { token: tenantOwner.token });
    expect(own.body.data.map((t: any) => [t.slug, t.role])).toEqual([['default', 'owner'], ['beta', 'owner']]);
    const all = await callApi(collector, 'GET', '/api/v1/tenants?all=true', { token: instanceAdmin });
    expect(all.body.data.map((t: any) => [t.slug, t.role])).toEqual([['default', 'owner'], ['acme-corp', 'owner'], ['beta', null]]);
    expect((await callApi(collector, 'GET', '/api/v1/tenants?all=maybe', { token: instanceAdmin })).status).toBe(400);
  });

  it('shows one tenant to its members, with the quota', async () => {
    await collector.db('tenants').where({ id: collector.tenantId }).update({ monthly_event_quota: 1_000_000 });
    const viewer = await addMember(collector, { role: 'viewer' });
    const answer = await callApi(collector, 'GET', `/api/v1/tenants/${collector.tenantId}`, { token: viewer.token });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ id: collector.tenantId, slug: 'default', name: 'Default', created_at: expect.any(String), monthly_event_quota: 1_000_000, role: 'viewer' });
    expect((await callApi(collector, 'GET', '/api/v1/tenants/not-a-uuid', { token: viewer.token })).status).toBe(404);
  });
});
