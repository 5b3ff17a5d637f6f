/**
 * When a background job retries a failed write to the analytics store (the outbox shipper, the
 * deletion executor): exponential backoff, but never sooner than the store asked for.
 */
import { AnalyticsWriteError } from '../stores/analytics/analytics-store.ts';

/** Exponential backoff with equal jitter (between half and all of the ceiling): 1s, 2s, 4s, ... up to maxMs. */
export function backoffMs(attempts: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, 1000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A failed write as the retrying job sees it; errors the store did not classify are retryable. */
export interface WriteFailure {
  /** Capped, since it is stored with the row. */
  message: string;
  retryable: boolean;
  /** The least wait the store asked for (0 when it did not say). */
  retryAfterMs: number;
}

export function writeFailureOf(err: unknown): WriteFailure {
  const classified = err instanceof AnalyticsWriteError ? err : null;
  return {
    message: (err instanceof Error ? err.message : String(err)).slice(0, 1000),
    retryable: classified?.retryable ?? true,
    retryAfterMs: classified?.retryAfterMs ?? 0,
  };
}

/** The wait before retrying after `attempts` attempts: the backoff, or longer when the store asked for it. */
export function retryDelayMs(failure: WriteFailure, attempts: number, maxBackoffMs: number): number {
  return Math.max(backoffMs(attempts, maxBackoffMs), failure.retryAfterMs);
}
