/** The quota month and its reset, computed from given instants (no waiting for a month to pass). */
import { describe, expect, it } from 'vitest';
import { QuotaExceeded } from './quota-exceeded.ts';
import { formatInstant, secondsUntil, usagePeriodOf } from './quota-period.ts';

const at = (iso: string) => new Date(iso);

describe('usagePeriodOf', () => {
  it('is the UTC calendar month, resetting at the first instant of the next one', () => {
    const period = usagePeriodOf(at('2026-11-15T12:34:56.789Z'));
    expect(period.key).toBe('2026-11-01');
    expect(formatInstant(period.start)).toBe('2026-11-01T00:00:00Z');
    expect(formatInstant(period.resetsAt)).toBe('2026-12-01T00:00:00Z');
  });

  it('keeps the last millisecond of a month in that month and moves on at midnight UTC', () => {
    expect(usagePeriodOf(at('2026-11-30T23:59:59.999Z')).key).toBe('2026-11-01');
    expect(usagePeriodOf(at('2026-12-01T00:00:00.000Z')).key).toBe('2026-12-01');
  });

  it('follows UTC, not the local offset of the instant', () => {
    // 2026-12-01T00:30 in UTC+01:00 is still November in UTC.
    expect(usagePeriodOf(at('2026-12-01T00:30:00+01:00')).key).toBe('2026-11-01');
  });

  it('rolls over the year in December', () => {
    const december = usagePeriodOf(at('2026-12-31T23:59:59Z'));
    expect(december.key).toBe('2026-12-01');
    expect(formatInstant(december.resetsAt)).toBe('2027-01-01T00:00:00Z');
  });

  it('counts months back across a year boundary', () => {
    const now = at('2027-02-10T00:00:00Z');
    expect([0, 1, 2, 11].map((back) => usagePeriodOf(now, back).key)).toEqual(['2027-02-01', '2027-01-01', '2026-12-01', '2026-03-01']);
  });

  it('handles February in leap and common years', () => {
    expect(formatInstant(usagePeriodOf(at('2028-02-29T10:00:00Z')).resetsAt)).toBe('2028-03-01T00:00:00Z');
    expect(usagePeriodOf(at('2027-03-01T00:00:00Z')).key).toBe('2027-03-01');
  });
});

describe('secondsUntil', () => {
  it('rounds up and is never below one second', () => {
    const reset = at('2026-12-01T00:00:00Z');
    expect(secondsUntil(reset, at('2026-11-30T00:00:00Z'))).toBe(86_400);
    expect(secondsUntil(reset, at('2026-11-30T23:59:59.001Z'))).toBe(1);
    expect(secondsUntil(reset, at('2026-12-01T00:00:00Z'))).toBe(1);
  });
});

describe('QuotaExceeded', () => {
  const period = usagePeriodOf(at('2026-11-30T00:00:00Z'));

  it('answers 429 with Retry-After until the reset and names the quota, usage and reset date', () => {
    const err = new QuotaExceeded({ tenantId: 't-1', quota: 1_000_000, used: 1_000_000, period, batchEvents: 0 }, at('2026-11-30T00:00:00Z'));
    expect(err.status).toBe(429);
    expect(err.headers['retry-after']).toBe('86400');
    expect(err.message).toBe('monthly event quota of 1000000 events for tenant t-1 is used up (1000000 used); it resets on 2026-12-01T00:00:00Z');
  });

  it('says how much was left when a batch does not fit in what remains', () => {
    const err = new QuotaExceeded({ tenantId: 't-1', quota: 1000, used: 990, period, batchEvents: 25 }, at('2026-11-30T00:00:00Z'));
    expect(err.message).toBe(
      'monthly event quota of 1000 events for tenant t-1 has 10 events left (990 used), fewer than the 25 new events in this batch; nothing of it was stored; it resets on 2026-12-01T00:00:00Z',
    );
  });
});
