/**
 * The admission pre-check's cache, driven by a clock: a tenant's standing is read once per few
 * seconds (not per request), a new month is read afresh at once, and forget() applies a change now.
 */
import type { Context } from 'koa';
import { describe, expect, it } from 'vitest';
import { useTestControlPlane } from '../testing/test-control-plane.ts';
import { QuotaAdmission } from './quota-admission.ts';
import { QuotaExceeded } from './quota-exceeded.ts';

const plane = useTestControlPlane();

async function tenantAt(quota: number, used: number, periodKey: string): Promise<string> {
  const { tenantId } = await plane.cp.createProject();
  await plane.cp.db('tenants').where({ id: tenantId }).update({ monthly_event_quota: quota });
  await plane.cp.db('usage_counters').insert({ tenant_id: tenantId, period_start: periodKey, events: used, bytes: 0 });
  return tenantId;
}

/** Runs the middleware for a tenant's request: 'admitted', or the refusal. */
async function admit(admission: QuotaAdmission, tenantId: string): Promise<'admitted' | QuotaExceeded> {
  const ctx = { state: { access: { tenantId, projectId: null, role: null, userId: null, apiKeyId: null } } } as unknown as Context;
  let admitted = false;
  try {
    await admission.middleware()(ctx, async () => {
      admitted = true;
    });
  } catch (err) {
    if (err instanceof QuotaExceeded) return err;
    throw err;
  }
  return admitted ? 'admitted' : expect.fail('neither admitted nor refused');
}

describe('QuotaAdmission', () => {
  it('refuses a tenant at its quota with the reset of the current month', async () => {
    const tenantId = await tenantAt(100, 100, '2026-11-01');
    const refusal = await admit(new QuotaAdmission(plane.cp.db, () => new Date('2026-11-30T23:00:00Z')), tenantId);
    expect(refusal).toBeInstanceOf(QuotaExceeded);
    expect((refusal as QuotaExceeded).headers['retry-after']).toBe('3600');
    expect((refusal as QuotaExceeded).message).toBe(`monthly event quota of 100 events for tenant ${tenantId} is used up (100 used); it resets on 2026-12-01T00:00:00Z`);
  });

  it('admits a tenant under its quota', async () => {
    const tenantId = await tenantAt(100, 99, '2026-11-01');
    expect(await admit(new QuotaAdmission(plane.cp.db, () => new Date('2026-11-15T00:00:00Z')), tenantId)).toBe('admitted');
  });

  it('reads the database at most once per cache period', async () => {
    let now = new Date('2026-11-15T00:00:00.000Z');
    const admission = new QuotaAdmission(plane.cp.db, () => now);
    const tenantId = await tenantAt(100, 50, '2026-11-01');
    expect(await admit(admission, tenantId)).toBe('admitted');
    await plane.cp.db('usage_counters').where({ tenant_id: tenantId }).update({ events: 100 });
    now = new Date('2026-11-15T00:00:04.999Z');
    expect(await admit(admission, tenantId)).toBe('admitted'); // still the cached standing
    now = new Date('2026-11-15T00:00:05.000Z');
    expect(await admit(admission, tenantId)).toBeInstanceOf(QuotaExceeded);
  });

  it('admits again as soon as a new UTC month begins, without waiting for the cache', async () => {
    let now = new Date('2026-11-30T23:59:59.000Z');
    const admission = new QuotaAdmission(plane.cp.db, () => now);
    const tenantId = await tenantAt(100, 100, '2026-11-01');
    expect(await admit(admission, tenantId)).toBeInstanceOf(QuotaExceeded);
    now = new Date('2026-12-01T00:00:00.000Z');
    expect(await admit(admission, tenantId)).toBe('admitted');
  });

  it('applies a quota change at once after forget()', async () => {
    const admission = new QuotaAdmission(plane.cp.db, () => new Date('2026-11-15T00:00:00Z'));
    const tenantId = await tenantAt(100, 100, '2026-11-01');
    expect(await admit(admission, tenantId)).toBeInstanceOf(QuotaExceeded);
    await plane.cp.db('tenants').where({ id: tenantId }).update({ monthly_event_quota: 200 });
    expect(await admit(admission, tenantId)).toBeInstanceOf(QuotaExceeded);
    admission.forget(tenantId);
    expect(await admit(admission, tenantId)).toBe('admitted');
  });
});
