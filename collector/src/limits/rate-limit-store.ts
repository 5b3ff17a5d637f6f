/**
 * Where rate-limit counters live, so every collector process counts against the same numbers: Redis
 * when REDIS_URL is set, else the control-plane database (table rate_limits, created by migration
 * 20261129_0008). Each limiter carries an in-memory insurance limiter with the same limit that answers
 * while the store is unreachable, so a store outage neither blocks traffic nor turns into 500s; during
 * one, each process enforces the limit on its own.
 *
 * Lifecycle: created with the app; close() ends the Redis connection (or the Postgres table's cleanup
 * timer) and is safe to call twice.
 */
import type { Knex } from 'knex';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { knexStoreClient, type StoreClient } from './knex-store-client.ts';

export interface RateLimitStore {
  /** A limiter allowing `perMinute` requests per key in each one-minute window, keys prefixed by `name`. */
  limiter(name: string, perMinute: number): RateLimiterAbstract;
  close(): Promise<void>;
}

export interface RateLimitStoreOptions {
  redisUrl: string | null;
  db: Knex;
  log: Logger;
}

/** Prefixes every key; tests pass their own so runs sharing one Redis do not share counters. */
const DEFAULT_NAMESPACE = 'observa';

const WINDOW_SECONDS = 60;
/** A Redis that stops answering must not hold requests: past this the insurance limiter answers. */
const REDIS_COMMAND_TIMEOUT_MS = 1000;
const TABLE = 'rate_limits';
/** Postgres: rows whose window ended over an hour ago are deleted every 5 minutes (the library's own schedule). */
const CLEANUP_EVERY_MS = 300_000;
const CLEANUP_AFTER_MS = 3600_000;

/** Logs an outage once when it starts and once when it ends, not once per request. */
function outageLog(log: Logger, backend: string) {
  let failing = false;
  return {
    failed(err: unknown) {
      if (!failing) log.warn({ err: (err as Error).message, backend }, 'rate-limit store failing; limiting in memory per process until it answers');
      failing = true;
    },
    recovered() {
      if (failing) log.info({ backend }, 'rate-limit store answering again');
      failing = false;
    },
  };
}

function common(namespace: string, name: string, perMinute: number) {
  const keyPrefix = `${namespace}:${name}`;
  return {
    keyPrefix,
    points: perMinute,
    duration: WINDOW_SECONDS,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points: perMinute, duration: WINDOW_SECONDS }),
    // A key over its limit is refused from memory until its window ends, so a flood does not reach the store.
    inMemoryBlockOnConsumed: perMinute + 1,
  };
}

/**
 * No offline queue: while disconnected (also in the moments after start) commands fail at once and the
 * insurance limiter answers, instead of requests waiting on a reconnect.
 */
export function redisClient(url: string): Redis {
  return new Redis(url, { enableOfflineQueue: false, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
}

/** Counters in Redis, through `client`, which the store owns from now on (close() disconnects it). */
export function redisRateLimitStore(client: Redis, log: Logger, namespace = DEFAULT_NAMESPACE): RateLimitStore {
  const outage = outageLog(log, 'redis');
  client.on('error', (err) => outage.failed(err));
  client.on('ready', () => outage.recovered());
  let closed = false;
  return {
    limiter: (name, perMinute) => new RateLimiterRedis({ ...common(namespace, name, perMinute), storeClient: client, rejectIfRedisNotReady: true }),
    async close() {
      if (closed) return;
      closed = true;
      client.disconnect();
    },
  };
}

export function postgresRateLimitStore(db: Knex, log: Logger, namespace = DEFAULT_NAMESPACE): RateLimitStore {
  const outage = outageLog(log, 'postgres');
  const knexClient = knexStoreClient(db);
  const storeClient: StoreClient = {
    async query(query) {
      try {
        const result = await knexClient.query(query);
        outage.recovered();
        return result;
      } catch (err) {
        outage.failed(err);
        throw err;
      }
    },
  };
  // All limiters share one table, so one timer cleans it; ours rather than the library's, whose timer
  // nothing can clear and which would query a closed database after close().
  let cleanup: NodeJS.Timeout | null = null;
  let closed = false;
  return {
    limiter(name, perMinute) {
      const limiter = new RateLimiterPostgres({ ...common(namespace, name, perMinute), storeClient, storeType: 'client', tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false });
      if (!cleanup && !closed) {
        // clearExpired never rejects (a failed cleanup waits for the next round).
        const clearExpired = (limiter as unknown as { clearExpired(before: number): Promise<void> }).clearExpired.bind(limiter);
        cleanup = setInterval(() => void clearExpired(Date.now() - CLEANUP_AFTER_MS), CLEANUP_EVERY_MS);
        cleanup.unref();
      }
      return limiter;
    },
    async close() {
      closed = true;
      if (cleanup) clearInterval(cleanup);
      cleanup = null;
    },
  };
}

export function createRateLimitStore({ redisUrl, db, log }: RateLimitStoreOptions): RateLimitStore {
  return redisUrl ? redisRateLimitStore(redisClient(redisUrl), log) : postgresRateLimitStore(db, log);
}
