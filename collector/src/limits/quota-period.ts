/**
 * The period a monthly event quota counts in: the UTC calendar month. Usage is stored per period
 * (`usage_counters.period_start`, the month's first day) and the quota resets at the first instant
 * of the next UTC month. Pure date arithmetic, so the rollover is testable without waiting a month.
 */

export interface UsagePeriod {
  /** The month's first day, `YYYY-MM-DD`, as stored in usage_counters.period_start. */
  key: string;
  /** 00:00:00 UTC on the month's first day. */
  start: Date;
  /** 00:00:00 UTC on the next month's first day: when the quota resets. */
  resetsAt: Date;
}

/** The UTC month `monthsBack` months before the one holding `at` (0: that month itself). */
export function usagePeriodOf(at: Date, monthsBack = 0): UsagePeriod {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - monthsBack, 1));
  const resetsAt = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return { key: start.toISOString().slice(0, 10), start, resetsAt };
}

/** Seconds from `now` until `resetsAt`, rounded up and at least 1: a Retry-After value. */
export function secondsUntil(resetsAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000));
}

/** RFC 3339 without milliseconds (`2026-12-01T00:00:00Z`), as quota answers print instants. */
export function formatInstant(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
