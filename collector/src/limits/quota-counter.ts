/**
 * Counts a batch's usage inside the ingest transaction and enforces the tenant's monthly event quota
 * there. The upsert takes the row lock of (tenant, month) in usage_counters and returns the month's
 * total *including* every batch committed before it, so concurrent transactions (also on other
 * collector processes sharing the Postgres) are serialised on that row: the second waits for the
 * first to commit or roll back, then adds to what it left. A total over the quota throws, which
 * rolls the whole transaction back: nothing of the batch is stored and the client gets a 429.
 */
import type { Knex } from 'knex';
import { QuotaExceeded } from './quota-exceeded.ts';
import { usagePeriodOf } from './quota-period.ts';

export interface BatchUsage {
  /** New events (duplicates are not counted). */
  events: number;
  /** Request bytes on the wire. */
  bytes: number;
}

export async function countUsageWithinQuota(trx: Knex.Transaction, tenantId: string, batch: BatchUsage, now: Date): Promise<void> {
  const period = usagePeriodOf(now);
  const { rows }: { rows: { events: number | string; quota: number | string | null }[] } = await trx.raw(
    `INSERT INTO usage_counters (tenant_id, period_start, events, bytes) VALUES (?, ?::date, ?, ?)
     ON CONFLICT (tenant_id, period_start) DO UPDATE SET events = usage_counters.events + excluded.events,
       bytes = usage_counters.bytes + excluded.bytes, updated_at = now()
     RETURNING events, (SELECT monthly_event_quota FROM tenants WHERE id = usage_counters.tenant_id) AS quota`,
    [tenantId, period.key, batch.events, batch.bytes],
  );
  const total = Number(rows[0].events);
  const quota = rows[0].quota === null ? null : Number(rows[0].quota);
  if (quota !== null && total > quota) {
    throw new QuotaExceeded({ tenantId, quota, used: total - batch.events, period, batchEvents: batch.events }, now);
  }
}
