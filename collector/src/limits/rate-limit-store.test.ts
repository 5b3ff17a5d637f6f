/**
 * The limiters count in the shared store (two stores, as two processes, see one count), and an
 * unreachable store hands over to the in-memory insurance limiter, which still limits.
 */
import { pino } from 'pino';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { Knex } from 'knex';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../testing/collector-process.ts';
import { postgresRateLimitStore, redisClient, redisRateLimitStore } from './rate-limit-store.ts';
import { openPostgresStores, openRedisStores, REDIS_URL, redisReachable, type TestStores } from './rate-limit-test-stores.ts';

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (outcome: unknown) => outcome);

const redisUp = await redisReachable();
const backends = [
  { name: 'postgres', open: openPostgresStores, skip: false },
  { name: `redis (${redisUp ? REDIS_URL : `skipped: nothing listens on ${REDIS_URL}; set TEST_REDIS_URL`})`, open: openRedisStores, skip: !redisUp },
];

describe.each(backends)('rate-limit store: $name', ({ open, skip }) => {
  let opened: TestStores | null = null;
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });

  it.skipIf(skip)('counts each key once across processes and refuses the request over the limit', async () => {
    opened = await open();
    const [first, second] = opened.stores.map((store) => store.limiter('test-tenant', 3));
    expect((await first.consume('tenant-a')).remainingPoints).toBe(2);
    expect((await second.consume('tenant-a')).remainingPoints).toBe(1);
    expect((await first.consume('tenant-a')).remainingPoints).toBe(0);

    const refused = await refusal(second.consume('tenant-a'));
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect((refused as RateLimiterRes).msBeforeNext).toBeGreaterThan(0);
    expect((refused as RateLimiterRes).msBeforeNext).toBeLessThanOrEqual(60_000);
    // Another key has its own count.
    expect((await second.consume('tenant-b')).remainingPoints).toBe(2);
  });

  it.skipIf(skip)('answers from the in-memory insurance limiter, still limiting, when the store is unreachable', async () => {
    opened = await open();
    const limiter = opened.stores[0].limiter('test-outage', 2);
    await opened.breakBackend();
    expect((await limiter.consume('tenant-a')).remainingPoints).toBe(1);
    expect((await limiter.consume('tenant-a')).remainingPoints).toBe(0);
    expect(await refusal(limiter.consume('tenant-a'))).toBeInstanceOf(RateLimiterRes);
  });
});

describe('rate-limit store: postgres table', () => {
  it('is created by the migrations, and rows whose window ended over an hour ago are deleted', async () => {
    const opened = await openPostgresStores();
    try {
      const db = opened.db!;
      const limiter = opened.stores[0].limiter('test-cleanup', 5);
      await limiter.consume('live');
      await db('rate_limits').insert({ key: 'observa:test-cleanup:stale', points: 7, expire: Date.now() - 2 * 3600_000 });
      // What the store's cleanup runs every 5 minutes (RateLimiterPostgres clearExpiredByTimeout).
      await (limiter as unknown as { clearExpired(before: number): Promise<void> }).clearExpired(Date.now() - 3600_000);
      const keys = (await db('rate_limits').orderBy('key').select('key', 'points')).map((r) => `${r.key}=${r.points}`);
      expect(keys).toEqual(['observa:test-cleanup:live=1']);
    } finally {
      await opened.close();
    }
  });
});

describe('rate-limit store: postgres close', () => {
  it('clears the table cleanup timer, so nothing queries the database after close()', async () => {
    vi.useFakeTimers();
    try {
      const queries: string[] = [];
      const db = { raw: async (sql: string) => { queries.push(sql); return { rows: [], rowCount: 0 }; } } as unknown as Knex;
      const store = postgresRateLimitStore(db, pino({ level: 'silent' }));
      store.limiter('test-close', 5);
      store.limiter('test-close-2', 5);
      expect(vi.getTimerCount()).toBe(1); // one cleanup for the shared table
      await store.close();
      expect(vi.getTimerCount()).toBe(0);
      await vi.advanceTimersByTimeAsync(3600_000);
      expect(queries).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('rate-limit store: redis down from the start', () => {
  it('limits in memory instead of waiting for a connection, and logs the outage once', async () => {
    const lines: string[] = [];
    const store = redisRateLimitStore(redisClient(`redis://127.0.0.1:${await freePort()}`), pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }));
    try {
      const limiter = store.limiter('test-dead-port', 1);
      const started = Date.now();
      expect((await limiter.consume('tenant-a')).remainingPoints).toBe(0);
      expect(await refusal(limiter.consume('tenant-a'))).toBeInstanceOf(RateLimiterRes);
      expect(Date.now() - started).toBeLessThan(500);
      // ioredis reports every failed reconnect (the first after ~50 ms, then more often than once a second).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['rate-limit store failing; limiting in memory per process until it answers']);
    } finally {
      await store.close();
    }
  });
});
