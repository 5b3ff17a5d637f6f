/**
 * A tenant's usage and monthly event quota: GET /api/v1/tenants/:tenantId/usage for its members
 * (the dashboard warns from `ingestion_refused` and `used_ratio`), and PUT
 * /api/v1/tenants/:tenantId/quota for instance administrators, audited with the value before and after.
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Knex } from 'knex';
import { accessOf, isUuid, type Guards } from '../access/guards.ts';
import { badRequest, notFound } from '../http-error.ts';
import type { QuotaAdmission } from '../limits/quota-admission.ts';
import { formatInstant, usagePeriodOf } from '../limits/quota-period.ts';
import { quotaUsedUp, readQuotaStatus } from '../limits/quota-status.ts';
import { actorOf, recordAudit } from './audit.ts';
import { bodyFields } from './body-fields.ts';

const HISTORY_MONTHS = 12;

/** The usage answer; null when the tenant does not exist. */
async function usageOf(db: Knex, tenantId: string, now: Date) {
  const status = await readQuotaStatus(db, tenantId, usagePeriodOf(now));
  if (!status) return null;
  const months = Array.from({ length: HISTORY_MONTHS }, (_, i) => usagePeriodOf(now, HISTORY_MONTHS - 1 - i)); // oldest first
  const rows: { period: string; events: number; bytes: number }[] = await db('usage_counters')
    .where('tenant_id', tenantId)
    .where('period_start', '>=', months[0].key)
    .select(db.raw(`to_char(period_start, 'YYYY-MM-DD') AS period`), 'events', 'bytes');
  const byPeriod = new Map(rows.map((r) => [r.period, r]));
  const { quota, events, bytes, period } = status;
  return {
    tenant_id: tenantId,
    period_start: formatInstant(period.start),
    resets_at: formatInstant(period.resetsAt),
    events,
    bytes,
    monthly_event_quota: quota,
    remaining: quota === null ? null : Math.max(0, quota - events),
    // A quota of 0 admits nothing: fully used.
    used_ratio: quota === null ? null : quota === 0 ? 1 : events / quota,
    ingestion_refused: quotaUsedUp(status),
    history: months.map((m) => ({
      period_start: formatInstant(m.start),
      events: Number(byPeriod.get(m.key)?.events ?? 0),
      bytes: Number(byPeriod.get(m.key)?.bytes ?? 0),
    })),
  };
}

/** `{monthly_event_quota: integer >= 0 | null}` and nothing else. */
function parseQuota(body: unknown): number | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('monthly_event_quota' in body)) {
    throw badRequest('send a JSON object {"monthly_event_quota": <integer >= 0, or null for unlimited>}');
  }
  const value = bodyFields(body, ['monthly_event_quota']).monthly_event_quota;
  if (value === null) return null;
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw badRequest(`monthly_event_quota must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, or null for unlimited; got ${JSON.stringify(value)}`);
  }
  return value as number;
}

export function usageRoutes(db: Knex, admission: QuotaAdmission, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  router.get('/api/v1/tenants/:tenantId/usage', guards.tenant('tenant:usage'), async (ctx) => {
    ctx.body = await usageOf(db, accessOf(ctx).tenantId, new Date());
  });

  // The instance-admin guard does not look at the tenant, so its existence is checked here.
  router.put('/api/v1/tenants/:tenantId/quota', guards.instanceAdmin(), async (ctx) => {
    const tenantId: string = ctx.params.tenantId;
    if (!isUuid(tenantId)) throw notFound(`tenant ${tenantId} not found`);
    const after = parseQuota(ctx.request.body);
    await db.transaction(async (trx) => {
      const tenant = await trx('tenants').where({ id: tenantId }).forUpdate().first('monthly_event_quota');
      if (!tenant) throw notFound(`tenant ${tenantId} not found`);
      const before = tenant.monthly_event_quota === null ? null : Number(tenant.monthly_event_quota);
      await trx('tenants').where({ id: tenantId }).update({ monthly_event_quota: after });
      await recordAudit(trx, {
        ...actorOf(ctx), tenantId, action: 'tenant.quota.update', targetType: 'tenant', targetId: tenantId,
        details: { before, after }, // monthly_event_quota; null = unlimited
      });
    });
    // Other processes see the change within the admission cache period; this one at once.
    admission.forget(tenantId);
    ctx.body = await usageOf(db, tenantId, new Date());
  });

  return router;
}
