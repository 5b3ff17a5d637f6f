/**
 * GET /api/v1/tenants/:tenantId/usage and PUT /api/v1/tenants/:tenantId/quota on a real collector:
 * the usage answer and its history, who may read it (any member; not other tenants, not API keys),
 * who may set the quota (instance administrators only), validation, the audit entry, and that a
 * raised quota admits ingestion at once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords.ts';
import { usagePeriodOf, formatInstant } from '../limits/quota-period.ts';
import { jsonSpan, otlpJson } from '../testing/otlp-json.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
let admin: string; // instance administrator and owner of the default tenant
let viewer: string;
let owner: string; // owner of the default tenant, not an instance administrator
let otherTenantId: string;

async function login(email: string, password: string): Promise<string> {
  const response = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as any).token;
}

async function userWithRole(role: 'owner' | 'viewer'): Promise<string> {
  const id = randomUUID();
  await collector.db('users').insert({ id, email: `usage-${role}@test.local`, name: role, password_hash: await hashPassword(`${role} password`) });
  await collector.db('memberships').insert({ tenant_id: collector.tenantId, user_id: id, role });
  return login(`usage-${role}@test.local`, `${role} password`);
}

const getUsage = (credential: string, tenantId = collector.tenantId) =>
  collector.request(`/api/v1/tenants/${tenantId}/usage`, { headers: { authorization: `Bearer ${credential}` } });

const putQuota = (credential: string, body: unknown, tenantId = collector.tenantId) =>
  collector.request(`/api/v1/tenants/${tenantId}/quota`, {
    method: 'PUT', headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });

const ingest = () => collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson([jsonSpan()])) });

beforeAll(async () => {
  collector = await startTestCollector();
  admin = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
  viewer = await userWithRole('viewer');
  owner = await userWithRole('owner');
  otherTenantId = randomUUID();
  await collector.db('tenants').insert({ id: otherTenantId, slug: 'other', name: 'Other' });
});
afterAll(async () => {
  await collector?.close();
});

describe('GET /api/v1/tenants/:tenantId/usage', () => {
  it('shows this month, the quota and twelve months of history to any member', async () => {
    const now = new Date();
    const months = Array.from({ length: 12 }, (_, i) => usagePeriodOf(now, 11 - i));
    await collector.db('usage_counters').insert([
      { tenant_id: collector.tenantId, period_start: usagePeriodOf(now, 12).key, events: 999, bytes: 999 }, // 13 months ago: not shown
      { tenant_id: collector.tenantId, period_start: usagePeriodOf(now, 2).key, events: 70, bytes: 7000 },
      { tenant_id: collector.tenantId, period_start: usagePeriodOf(now).key, events: 250, bytes: 25_000 },
    ]);
    await collector.db('tenants').where({ id: collector.tenantId }).update({ monthly_event_quota: 1000 });

    const response = await getUsage(viewer);
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body).toEqual({
      tenant_id: collector.tenantId,
      period_start: formatInstant(months[11].start),
      resets_at: formatInstant(months[11].resetsAt),
      events: 250,
      bytes: 25_000,
      monthly_event_quota: 1000,
      remaining: 750,
      used_ratio: 0.25,
      ingestion_refused: false,
      history: months.map((m, i) => ({
        period_start: formatInstant(m.start),
        events: i === 11 ? 250 : i === 9 ? 70 : 0,
        bytes: i === 11 ? 25_000 : i === 9 ? 7000 : 0,
      })),
    });
  });

  it('tells the dashboard when ingestion is refused', async () => {
    await collector.db('tenants').where({ id: collector.tenantId }).update({ monthly_event_quota: 250 });
    expect(await getUsage(viewer).then((r) => r.json())).toMatchObject({ monthly_event_quota: 250, remaining: 0, used_ratio: 1, ingestion_refused: true });
    await collector.db('tenants').where({ id: collector.tenantId }).update({ monthly_event_quota: null });
    expect(await getUsage(viewer).then((r) => r.json())).toMatchObject({ monthly_event_quota: null, remaining: null, used_ratio: null, ingestion_refused: false });
  });

  it('answers 404 for a tenant the caller is not a member of, and 403 to API keys', async () => {
    expect((await getUsage(admin, otherTenantId)).status).toBe(404);
    expect((await getUsage(admin, 'not-a-uuid')).status).toBe(404);
    const keyed = await getUsage(collector.apiKey);
    expect(keyed.status).toBe(403);
    expect(((await keyed.json()) as any).error.message).toBe('only signed-in users may see usage and quota, not API keys');
  });
});

describe('PUT /api/v1/tenants/:tenantId/quota', () => {
  it('lets an instance administrator set a quota, audited with the value before and after', async () => {
    const response = await putQuota(admin, { monthly_event_quota: 5000 }, otherTenantId);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ tenant_id: otherTenantId, monthly_event_quota: 5000, events: 0, remaining: 5000, ingestion_refused: false });
    expect(await collector.db('tenants').where({ id: otherTenantId }).first('monthly_event_quota')).toEqual({ monthly_event_quota: 5000 });

    expect((await putQuota(admin, { monthly_event_quota: null }, otherTenantId)).status).toBe(200);
    const audit = await collector.db('audit_logs').where({ action: 'tenant.quota.update', target_id: otherTenantId }).orderBy('id').select('tenant_id', 'target_type', 'actor_user_id', 'details');
    expect(audit.map((a) => a.details)).toEqual([{ before: null, after: 5000 }, { before: 5000, after: null }]);
    expect(audit[0]).toMatchObject({ tenant_id: otherTenantId, target_type: 'tenant', actor_user_id: expect.any(String) });
  });

  it('refuses tenant owners who do not administer the instance, and API keys', async () => {
    const byOwner = await putQuota(owner, { monthly_event_quota: 1 });
    expect(byOwner.status).toBe(403);
    expect(((await byOwner.json()) as any).error.message).toBe('only instance administrators may do this');
    expect((await putQuota(collector.apiKey, { monthly_event_quota: 1 })).status).toBe(403);
    expect(await collector.db('tenants').where({ id: collector.tenantId }).first('monthly_event_quota')).toEqual({ monthly_event_quota: null });
  });

  it('answers 404 for an unknown tenant and 400 for a bad quota', async () => {
    expect((await putQuota(admin, { monthly_event_quota: 1 }, randomUUID())).status).toBe(404);
    expect((await putQuota(admin, { monthly_event_quota: 1 }, 'nope')).status).toBe(404);
    for (const body of [{}, { monthly_event_quota: -1 }, { monthly_event_quota: 1.5 }, { monthly_event_quota: '100' }, { monthly_event_quota: 1, extra: true }, [1]]) {
      const response = await putQuota(admin, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as any).error.message).toMatch(/monthly_event_quota/);
    }
  });

  it('admits ingestion at once when the quota is raised on this process', async () => {
    const used = Number((await getUsage(admin).then((r) => r.json()) as any).events);
    expect((await putQuota(admin, { monthly_event_quota: used })).status).toBe(200);
    expect((await ingest()).status).toBe(429);
    expect((await putQuota(admin, { monthly_event_quota: used + 1 })).status).toBe(200);
    expect((await ingest()).status).toBe(200);
    expect(await getUsage(viewer).then((r) => r.json())).toMatchObject({ events: used + 1, remaining: 0, ingestion_refused: true });
  });
});
