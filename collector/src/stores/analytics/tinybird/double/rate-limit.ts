/**
 * Requests per second per key (a datasource for the Events API, a token or JWT `name` for pipes),
 * in fixed one-second windows. Documented: "<= 100 requests/s per datasource", the
 * `X-RateLimit-Limit` / `-Remaining` / `-Reset` (seconds) headers, and 429 with Retry-After past it;
 * JWT limits are grouped by the token's `name` and set by its `limits.rps`.
 */
export interface RateLimitState {
  limited: boolean;
  headers: Record<string, string>;
  /** Seconds until the window resets (at least 1), for Retry-After. */
  resetSeconds: number;
}

const WINDOW_MS = 1000;

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  /** Counts one request against `key` and says whether it is over `limit`. */
  hit(key: string, limit: number, resetOverride: number | null): RateLimitState {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    const resetSeconds = resetOverride ?? Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
    return {
      limited: window.count > limit,
      resetSeconds,
      headers: {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': String(Math.max(0, limit - window.count)),
        'X-RateLimit-Reset': String(resetSeconds),
      },
    };
  }
}
