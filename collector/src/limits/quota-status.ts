/**
 * A tenant's standing against its monthly event quota in one period: the quota (null = unlimited)
 * and the usage counted so far. Read by the admission pre-check and the usage API; the write
 * transaction enforces the quota itself (quota-counter.ts).
 */
import type { Knex } from 'knex';
import type { UsagePeriod } from './quota-period.ts';

export interface QuotaStatus {
  tenantId: string;
  quota: number | null;
  events: number;
  bytes: number;
  period: UsagePeriod;
}

/** The status, or null when the tenant does not exist. */
export async function readQuotaStatus(db: Knex, tenantId: string, period: UsagePeriod): Promise<QuotaStatus | null> {
  const row = await db('tenants')
    .leftJoin('usage_counters', (join) => join.on('usage_counters.tenant_id', 'tenants.id').andOnVal('usage_counters.period_start', period.key))
    .where('tenants.id', tenantId)
    .first('tenants.monthly_event_quota as quota', 'usage_counters.events', 'usage_counters.bytes');
  if (!row) return null;
  return { tenantId, quota: row.quota === null ? null : Number(row.quota), events: Number(row.events ?? 0), bytes: Number(row.bytes ?? 0), period };
}

/** True when ingestion is refused outright: the month's events have reached the quota. */
export function quotaUsedUp(status: QuotaStatus): boolean {
  return status.quota !== null && status.events >= status.quota;
}
