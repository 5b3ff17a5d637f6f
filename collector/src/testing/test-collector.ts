/**
 * Starts a real collector for a test: a temp data dir (PGlite + chDB there), or a fresh Postgres
 * database when TEST_DATABASE_URL is set. Returns helpers to call it as a client would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { startCollector, type Collector, type CollectorOptions } from '../collector.ts';
import { loadConfig, type Config } from '../config.ts';
import { createTestDatabase } from './test-database.ts';
import { testSecretFor } from './test-secret.ts';

export const ADMIN_EMAIL = 'admin@test.local';
export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface TestCollector extends Collector {
  apiKey: string;
  tenantId: string;
  projectId: string;
  dataDir: string;
  /** fetch against the collector with the bootstrap key unless headers say otherwise. */
  request(pathname: string, init?: RequestInit): Promise<Response>;
  /** Waits until every acknowledged batch has reached the analytics store. */
  shipped(): Promise<void>;
  close(): Promise<void>;
}

export interface TestCollectorOptions extends CollectorOptions {
  env?: Record<string, string>;
  /** Reuse a data dir / database (restart tests). */
  dataDir?: string;
  databaseUrl?: string | null;
}

export async function startTestCollector(options: TestCollectorOptions = {}): Promise<TestCollector> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'observa-test-'));
  const database = options.databaseUrl === undefined ? await createTestDatabase() : { url: options.databaseUrl, drop: async () => {} };
  const config: Config = loadConfig({
    OBSERVA_PORT: '0',
    OBSERVA_GRPC_PORT: '0',
    OBSERVA_HOST: '127.0.0.1',
    OBSERVA_DATA_DIR: dataDir,
    OBSERVA_ADMIN_EMAIL: ADMIN_EMAIL,
    OBSERVA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    OBSERVA_SHIPPER_POLL_MS: '50',
    ...(database.url ? { DATABASE_URL: database.url, OBSERVA_SECRET: testSecretFor(database.url) } : {}),
    ...options.env,
  });
  const collector = await startCollector(config, { log: pino({ level: 'silent' }), ...options });
  const bootstrap = collector.bootstrap;
  if (!bootstrap) throw new Error('test collector expected an empty control plane (pass apiKey handling for restarts)');
  return {
    ...collector,
    apiKey: bootstrap.apiKey,
    tenantId: bootstrap.tenantId,
    projectId: bootstrap.projectId,
    dataDir,
    request(pathname, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization') && !headers.has('x-observa-api-key')) headers.set('authorization', `Bearer ${bootstrap.apiKey}`);
      return fetch(`${collector.url}${pathname}`, { ...init, headers });
    },
    async shipped() {
      // The background loop may hold a leased batch mid-append: wait until the outbox is empty.
      const deadline = Date.now() + 10_000;
      while ((await collector.shipper.backlog()).rows > 0) {
        if (Date.now() > deadline) throw new Error('outbox did not drain within 10 s');
        await collector.shipper.drain();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      await collector.stop();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
