/**
 * The one place where an Events API answer becomes an append outcome (OTel Collector habit: classify
 * once). The outbox shipper retries what is retryable, waiting at least retryAfterMs, and moves the
 * batch to the dead-letter state with the message when it is not. Status meanings follow Tinybird's
 * Events API documentation (see shared reference tinybird.md):
 *
 * - 200/202: accepted; rows that did not match the schema were quarantined, not rejected.
 * - 429: rate limited; retry after Retry-After (seconds or HTTP-date) or X-RateLimit-Reset (seconds).
 * - 408, 5xx, no answer (network error, timeout): transient; retry with backoff.
 * - 422: the rows were written to the datasource but a materialized view failed, so some rows may
 *   already be ingested. The events datasource deduplicates a re-send, but materialized aggregates
 *   would count it twice, so it is permanent: an operator decides (fix the view, then replay).
 * - 400 (bad body), 401/403 (bad token), 404 (wrong region host or datasource), 413 (too large) and
 *   any other 4xx: a retry sends the same request and gets the same answer, so permanent.
 */
import { AnalyticsAppendError, type AppendReport } from '../analytics-store.ts';
import { networkFailure, tinybirdErrorMessage } from './tinybird-errors.ts';
import { isTransientStatus, retryAfterMs } from './tinybird-retry.ts';

/** Reads an Events API response: the report on success, else throws the classified AnalyticsAppendError. */
export async function appendOutcome(response: Response, what: string): Promise<AppendReport> {
  if (response.ok) {
    const body = (await response.json().catch(() => ({}))) as { quarantined_rows?: unknown };
    return { quarantinedRows: Number(body.quarantined_rows ?? 0) || 0 };
  }
  const status = response.status;
  const message = `Tinybird Events API answered ${status} for ${what}: ${await tinybirdErrorMessage(response)}`;
  if (isTransientStatus(status)) throw new AnalyticsAppendError(message, true, retryAfterMs(response.headers));
  if (status === 422) {
    throw new AnalyticsAppendError(`${message} (rows may be partly ingested; not retried automatically, since a retry can count them twice in materialized views)`, false);
  }
  throw new AnalyticsAppendError(message, false);
}

/** No answer at all (connection refused, DNS, reset, timeout): transient. */
export function appendUnreachable(err: unknown, what: string, timeoutMs: number): AnalyticsAppendError {
  return new AnalyticsAppendError(`Tinybird Events API unreachable for ${what}: ${networkFailure(err, timeoutMs)}`, true);
}
