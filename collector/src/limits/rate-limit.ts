/**
 * One request limit: a key per request (a tenant, a client IP), counted per one-minute window in the
 * shared store. Over the limit, the answer is one clients can act on: 429 with Retry-After (OTLP
 * exporters retry on it), the RateLimit-* headers of draft-ietf-httpapi-ratelimit-headers, and a
 * message naming the limit. Requests let through carry the RateLimit-* headers of their tightest limit.
 */
import type { Next } from 'koa';
import type { Logger } from 'pino';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AdmissionContext } from '../app/admission-context.ts';
import { HttpError } from '../http-error.ts';

/** A rule reads its key from any admission context: a Koa request, or an OTLP/gRPC call (ingestion limits). */
export interface RateLimitRule {
  /** Names the counter in the store ("ingest-tenant"). */
  name: string;
  /** For the refusal: "<scope> limit for <subject> <key>", e.g. "ingestion limit for tenant 3f…". */
  scope: string;
  subject: string;
  /** Requests per minute per key; 0 disables the limit. */
  perMinute: number;
  /** The key this request counts against; null when the limit does not apply to it. */
  keyOf(ctx: AdmissionContext): string | null;
}

/** Counts the request against its key; throws a 429 HttpError when the key is over its limit. */
export type RateLimitCheck = (ctx: AdmissionContext) => Promise<void>;

export interface LimiterSource {
  limiter(name: string, perMinute: number): RateLimiterAbstract;
}

const wholeSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

function rateLimitHeaders(limit: number, res: RateLimiterRes): Record<string, string> {
  return {
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(res.remainingPoints),
    'ratelimit-reset': String(wholeSeconds(res.msBeforeNext)),
  };
}

export function rateLimitCheck(rule: RateLimitRule, store: LimiterSource, log: Logger): RateLimitCheck {
  if (rule.perMinute === 0) return async () => {};
  const limiter = store.limiter(rule.name, rule.perMinute);
  return async (ctx) => {
    const key = rule.keyOf(ctx);
    if (key === null) return;
    let res: RateLimiterRes;
    try {
      res = await limiter.consume(key);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        const retryAfter = wholeSeconds(outcome.msBeforeNext);
        throw new HttpError(
          429,
          `rate limit exceeded: ${rule.scope} limit for ${rule.subject} ${key} is ${rule.perMinute} requests per minute; retry in ${retryAfter} s`,
          { 'retry-after': String(retryAfter), ...rateLimitHeaders(rule.perMinute, outcome) },
        );
      }
      // Neither the store nor the insurance limiter answered: let the request through rather than fail it.
      log.warn({ err: (outcome as Error).message, limit: rule.name }, 'rate limit not checked');
      return;
    }
    const tightest = Number(ctx.response.get('ratelimit-remaining') || Infinity);
    if (res.remainingPoints <= tightest) ctx.set(rateLimitHeaders(rule.perMinute, res));
  };
}

export function asMiddleware(check: RateLimitCheck) {
  return async (ctx: AdmissionContext, next: Next) => {
    await check(ctx);
    await next();
  };
}
