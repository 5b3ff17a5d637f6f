/**
 * The rate-limit middleware as a client sees it, on each store: 429 with Retry-After, the RateLimit-*
 * headers and a message naming the limit; headers of the tightest limit on requests let through; a
 * disabled limit or a limiter that cannot answer lets requests through.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Koa, { type Context } from 'koa';
import { pino } from 'pino';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../app/error-handler.ts';
import { asMiddleware, rateLimitCheck, type LimiterSource, type RateLimitRule } from './rate-limit.ts';
import { openPostgresStores, openRedisStores, REDIS_URL, redisReachable, type TestStores } from './rate-limit-test-stores.ts';

const log = pino({ level: 'silent' });
const byHeader = (ctx: Context) => ctx.get('x-tenant') || null;
const rule = (overrides: Partial<RateLimitRule>): RateLimitRule => ({ name: 'test', scope: 'ingestion', subject: 'tenant', perMinute: 2, keyOf: byHeader, ...overrides });

let server: http.Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

async function serve(store: LimiterSource, ...rules: RateLimitRule[]): Promise<(tenant?: string) => Promise<Response>> {
  const app = new Koa();
  app.use(errorHandler(log));
  for (const r of rules) app.use(asMiddleware(rateLimitCheck(r, store, log)));
  app.use((ctx) => void (ctx.body = { ok: true }));
  server = http.createServer(app.callback()).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/thing`;
  return (tenant) => fetch(url, { headers: tenant ? { 'x-tenant': tenant } : {} });
}

const redisUp = await redisReachable();
const backends = [
  { name: 'postgres', open: openPostgresStores, skip: false },
  { name: `redis (${redisUp ? REDIS_URL : `skipped: nothing listens on ${REDIS_URL}; set TEST_REDIS_URL`})`, open: openRedisStores, skip: !redisUp },
];

describe.each(backends)('rate-limit middleware on $name', ({ open, skip }) => {
  let opened: TestStores;
  beforeAll(async () => {
    if (!skip) opened = await open();
  });
  afterAll(async () => {
    await opened?.close();
  });

  it.skipIf(skip)('answers 429 with Retry-After, RateLimit-* headers and a message naming the limit', async () => {
    const send = await serve(opened.stores[0], rule({ name: 'refusal', perMinute: 2 }));
    const first = await send('t-1');
    expect(first.status).toBe(200);
    expect([first.headers.get('ratelimit-limit'), first.headers.get('ratelimit-remaining')]).toEqual(['2', '1']);
    expect((await send('t-1')).status).toBe(200);

    const refused = await send('t-1');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get('ratelimit-limit')).toBe('2');
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('ratelimit-reset'))).toBe(retryAfter);
    const body = (await refused.json()) as any;
    expect(body.error.message).toBe(`rate limit exceeded: ingestion limit for tenant t-1 is 2 requests per minute; retry in ${retryAfter} s`);

    // Another key is unaffected; a request with no key for this limit is not counted.
    expect((await send('t-2')).status).toBe(200);
    expect((await send()).status).toBe(200);
  });

  it.skipIf(skip)('sends the headers of the tightest limit on requests let through', async () => {
    const send = await serve(opened.stores[0], rule({ name: 'narrow', perMinute: 3 }), rule({ name: 'wide', perMinute: 100 }));
    const response = await send('t-1');
    expect([response.headers.get('ratelimit-limit'), response.headers.get('ratelimit-remaining')]).toEqual(['3', '2']);
  });
});

describe('rate-limit middleware without a store answer', () => {
  const failingSource: LimiterSource = {
    limiter: () => ({ consume: () => Promise.reject(new Error('store and insurance both gone')) }) as unknown as RateLimiterAbstract,
  };

  it('lets requests through when the limiter cannot answer, rather than failing them', async () => {
    const send = await serve(failingSource, rule({ perMinute: 1 }));
    expect((await send('t-1')).status).toBe(200);
    expect((await send('t-1')).status).toBe(200);
  });

  it('creates no limiter for a limit of 0', async () => {
    const send = await serve({ limiter: () => expect.unreachable('a disabled limit needs no limiter') }, rule({ perMinute: 0 }));
    const response = await send('t-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('ratelimit-limit')).toBeNull();
  });
});
