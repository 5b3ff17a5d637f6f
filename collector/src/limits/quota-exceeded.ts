/**
 * The answer to ingestion refused by a tenant's monthly event quota: 429 with Retry-After until the
 * quota resets (the next UTC month), and a message naming the quota, the usage and the reset date.
 * The admission pre-check and the write transaction both throw it, so the client gets the same answer.
 */
import { HttpError } from '../http-error.ts';
import { formatInstant, secondsUntil, type UsagePeriod } from './quota-period.ts';

export interface QuotaRefusal {
  tenantId: string;
  quota: number;
  /** Events counted this month before the refused batch. */
  used: number;
  period: UsagePeriod;
  /** New events in the refused batch; 0 when refused before the body was read. */
  batchEvents: number;
}

function refusalMessage(r: QuotaRefusal): string {
  const head = `monthly event quota of ${r.quota} events for tenant ${r.tenantId}`;
  const resets = `it resets on ${formatInstant(r.period.resetsAt)}`;
  if (r.used >= r.quota) return `${head} is used up (${r.used} used); ${resets}`;
  // Room is left, but not for this whole batch: a batch is stored whole or not at all.
  return `${head} has ${r.quota - r.used} events left (${r.used} used), fewer than the ${r.batchEvents} new events in this batch; nothing of it was stored; ${resets}`;
}

export class QuotaExceeded extends HttpError {
  override name = 'QuotaExceeded';
  constructor(
    readonly refusal: QuotaRefusal,
    now: Date = new Date(),
  ) {
    super(429, refusalMessage(refusal), { 'retry-after': String(secondsUntil(refusal.period.resetsAt, now)) });
  }
}
