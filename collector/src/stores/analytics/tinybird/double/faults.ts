/**
 * Fault injection for the double, mutated by tests while it runs. Failures are the answers the
 * Events API reference lists as transient or limiting (429 with Retry-After, 5xx); delays stand in for
 * timeouts. Injected failures are answered before any other check, the way a proxy or an overloaded
 * region would answer, so nothing of the request is stored.
 */
import { errorReply, type Reply } from './http-reply.ts';

export type DoubleRoute = 'events' | 'pipes' | 'delete' | 'jobs';

export interface FailOptions {
  /** Only requests to this route (default: every route). */
  route?: DoubleRoute;
  /** Retry-After (seconds) on an injected 429; default `faults.retryAfterSeconds`. */
  retryAfterSeconds?: number;
  /** Extra headers on the injected answer. */
  headers?: Record<string, string>;
}

/** `before`: the request waits unhandled (nothing stored). `after`: it is stored, then the answer waits (a lost ack). */
export type DelayPhase = 'before' | 'after';

export interface DelayOptions {
  route?: DoubleRoute;
  phase?: DelayPhase;
}

interface Rule<T> {
  value: T;
  route?: DoubleRoute;
  remaining: number;
  until: number;
}

export interface Delay {
  ms: number;
  phase: DelayPhase;
}

export class TinybirdFaults {
  /** Standing answer for every request until switched back to 'ok'. */
  mode: 'ok' | '429' | '500' | '503' = 'ok';
  /** Retry-After (seconds) on every 429, injected or from the real rate limiter. */
  retryAfterSeconds = 1;
  /** When set, X-RateLimit-Reset (seconds) on every response, instead of the limiter's window. */
  rateLimitResetSeconds: number | null = null;
  /** Standing delay on every request (a client with a shorter timeout sees a timeout). */
  delayMs = 0;
  delayPhase: DelayPhase = 'before';
  /** Quarantine every Nth row of each Events API request (0: off), as if it did not fit the schema. */
  quarantineEvery = 0;
  /** How long a delete job stays `waiting` before it runs, so clients must poll the jobs API. */
  deleteJobDelayMs = 0;

  private failures: Rule<{ status: number; options: FailOptions }>[] = [];
  private delays: Rule<Delay>[] = [];
  private deleteJobFailures: string[] = [];

  /** The next `n` requests (to `options.route`, if given) answer `status`. */
  failNext(n: number, status: number, options: FailOptions = {}): void {
    this.failures.push({ value: { status, options }, route: options.route, remaining: n, until: Infinity });
  }

  /** Every request for the next `ms` (Infinity: until `reset()`) answers `status`. */
  failFor(ms: number, status: number, options: FailOptions = {}): void {
    this.failures.push({ value: { status, options }, route: options.route, remaining: Infinity, until: Date.now() + ms });
  }

  /** The next `n` requests wait `ms` (see DelayPhase). */
  delayNext(n: number, ms: number, options: DelayOptions = {}): void {
    this.delays.push({ value: { ms, phase: options.phase ?? 'before' }, route: options.route, remaining: n, until: Infinity });
  }

  /** The next `n` delete jobs are accepted, then end with status `error` and this reason. */
  failNextDeleteJobs(n: number, reason = 'injected fault: delete job failed'): void {
    for (let i = 0; i < n; i++) this.deleteJobFailures.push(reason);
  }

  /** The reason the delete job starting now must fail with, if any (consumes it). */
  takeDeleteJobFailure(): string | null {
    return this.deleteJobFailures.shift() ?? null;
  }

  /** Back to a healthy service: no mode, rules, delays or quarantining. */
  reset(): void {
    Object.assign(this, new TinybirdFaults());
  }

  /** The injected answer for this request, if any (consumes one use of a counted rule). */
  takeFailure(route: DoubleRoute): Reply | null {
    const rule = take(this.failures, route);
    if (rule) return this.failureReply(rule.status, rule.options);
    return this.mode === 'ok' ? null : this.failureReply(Number(this.mode), {});
  }

  takeDelay(route: DoubleRoute): Delay | null {
    return take(this.delays, route) ?? (this.delayMs > 0 ? { ms: this.delayMs, phase: this.delayPhase } : null);
  }

  private failureReply(status: number, options: FailOptions): Reply {
    if (status !== 429) return errorReply(status, status === 503 ? 'Service temporarily unavailable' : 'Injected fault', options.headers);
    const seconds = options.retryAfterSeconds ?? this.retryAfterSeconds;
    return errorReply(429, `Too many requests: retry after ${seconds} seconds`, {
      'Retry-After': String(seconds),
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': String(this.rateLimitResetSeconds ?? seconds),
      ...options.headers,
    });
  }
}

function take<T>(rules: Rule<T>[], route: DoubleRoute): T | null {
  const now = Date.now();
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.remaining <= 0 || rule.until <= now) {
      rules.splice(i--, 1);
      continue;
    }
    if (rule.route && rule.route !== route) continue;
    rule.remaining -= 1;
    return rule.value;
  }
  return null;
}
