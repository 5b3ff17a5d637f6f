/**
 * The ingest admission step for monthly event quotas: refuses (429, the same answer as the write
 * transaction) before any body byte is read when the tenant's month is already used up. It reads a
 * per-process cache of a few seconds, so hot ingestion does not query per request; the cost is that
 * a change shows here up to CACHE_MS late. That is harmless: the write transaction enforces the quota
 * exactly, this only spares reading and decoding bodies that would be refused anyway.
 */
import type { Next } from 'koa';
import type { Knex } from 'knex';
import type { Access } from '../access/guards.ts';
import type { AdmissionContext } from '../app/admission-context.ts';
import { QuotaExceeded } from './quota-exceeded.ts';
import { usagePeriodOf } from './quota-period.ts';
import { quotaUsedUp, readQuotaStatus, type QuotaStatus } from './quota-status.ts';

const CACHE_MS = 5_000;

interface Cached {
  status: Promise<QuotaStatus | null>;
  loadedAt: number;
}

export class QuotaAdmission {
  private cache = new Map<string, Cached>();

  constructor(
    private readonly db: Knex,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Admission step (HTTP and gRPC); runs after the API key is verified (ctx.state.access names the tenant). */
  middleware() {
    return async (ctx: AdmissionContext, next: Next) => {
      const { tenantId } = ctx.state.access as Access;
      const now = this.clock();
      const status = await this.statusOf(tenantId, now);
      if (status && quotaUsedUp(status)) {
        throw new QuotaExceeded({ tenantId, quota: status.quota!, used: status.events, period: status.period, batchEvents: 0 }, now);
      }
      await next();
    };
  }

  /** Drops what this process remembers of a tenant (its quota was just changed here). */
  forget(tenantId: string): void {
    this.cache.delete(tenantId);
  }

  private async statusOf(tenantId: string, now: Date): Promise<QuotaStatus | null> {
    const period = usagePeriodOf(now);
    const cached = this.cache.get(tenantId);
    if (cached && now.getTime() - cached.loadedAt < CACHE_MS) {
      const status = await cached.status;
      // A month that ended since the read no longer counts: read the new one.
      if (!status || status.period.key === period.key) return status;
    }
    // Concurrent requests of one tenant share one read; a failed read is not remembered.
    const status = readQuotaStatus(this.db, tenantId, period);
    const entry = { status, loadedAt: now.getTime() };
    this.cache.set(tenantId, entry);
    status.catch(() => this.cache.get(tenantId) === entry && this.cache.delete(tenantId));
    this.pruneExpired(now.getTime());
    return status;
  }

  /** Keeps the cache to tenants seen recently. */
  private pruneExpired(nowMs: number): void {
    if (this.cache.size < 1_000) return;
    for (const [tenantId, entry] of this.cache) if (nowMs - entry.loadedAt >= CACHE_MS) this.cache.delete(tenantId);
  }
}
