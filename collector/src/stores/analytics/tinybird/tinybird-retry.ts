/**
 * Which Tinybird write answers (Events API appends, delete jobs) are worth sending again, and when.
 * Throttled (429), timed out (408) and failing (5xx) are; any other 4xx gets the same answer again.
 */

export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** The wait Tinybird asks for, in ms: Retry-After (delta-seconds or HTTP-date) first, else X-RateLimit-Reset. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const seconds = Number(reset);
    // Documented as seconds until the window resets; an epoch timestamp (some gateways) is told apart by size.
    return seconds > 1e9 ? Math.max(0, seconds * 1000 - now) : Math.round(seconds * 1000);
  }
  return null;
}
