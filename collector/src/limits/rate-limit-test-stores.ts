/**
 * The rate-limit stores the limits' tests run on: the control-plane database (a fresh Postgres database
 * with TEST_DATABASE_URL, else PGlite in a temp dir) and the real Redis (TEST_REDIS_URL, default
 * redis://127.0.0.1:6379), each test run under its own key namespace.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { openDatabase } from '../stores/control/database.ts';
import { createTestDatabase } from '../testing/test-database.ts';
import { postgresRateLimitStore, redisClient, redisRateLimitStore, type RateLimitStore } from './rate-limit-store.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const log = pino({ level: 'silent' });

/** Whether something answers on the Redis URL's port (the Redis tests skip, saying so, when not). */
export async function redisReachable(url = REDIS_URL): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379), timeout: 500 });
    const answer = (reachable: boolean) => {
      socket.destroy();
      resolve(reachable);
    };
    socket.once('connect', () => answer(true));
    socket.once('error', () => answer(false));
    socket.once('timeout', () => answer(false));
  });
}

export interface TestStores {
  /** Two stores over the same backend, as two collector processes would have. */
  stores: [RateLimitStore, RateLimitStore];
  /** The control-plane database, for the Postgres backend. */
  db: Knex | null;
  /** Makes the backend unreachable for both stores. */
  breakBackend(): Promise<void>;
  close(): Promise<void>;
}

export async function openPostgresStores(): Promise<TestStores> {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-limits-'));
  const db = await openDatabase(database.url, dataDir);
  const open = () => postgresRateLimitStore(db, log);
  let destroyed = false;
  const destroy = async () => {
    if (!destroyed) await db.destroy();
    destroyed = true;
  };
  return {
    stores: [open(), open()],
    db,
    breakBackend: destroy,
    async close() {
      await destroy();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves once both stores' connections are ready (before that their limiters count in memory). */
export async function openRedisStores(): Promise<TestStores> {
  const namespace = `observa-test-${randomBytes(6).toString('hex')}`;
  const clients = [redisClient(REDIS_URL), redisClient(REDIS_URL)];
  await Promise.all(clients.map((client) => once(client, 'ready')));
  const stores: [RateLimitStore, RateLimitStore] = [redisRateLimitStore(clients[0], log, namespace), redisRateLimitStore(clients[1], log, namespace)];
  const close = async () => void (await Promise.all(stores.map((s) => s.close())));
  return { stores, db: null, breakBackend: close, close };
}
