/**
 * What the ingest bench sends to: the HTTP ceiling (ceiling-server.ts) or a real collector process, on
 * its embedded stores (PGlite + chDB in a temp dir, as `npm start`) or on the Postgres server named by
 * TEST_DATABASE_URL (a fresh database) + chDB. Default settings: rate limits, quotas and backpressure on.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCollectorProcess } from '../../collector/src/testing/collector-process.ts';
import { createTestDatabase } from '../../collector/src/testing/test-database.ts';

export interface Target {
  url: string;
  apiKey: string;
  pid: number;
  stop(): Promise<void>;
}

export type CollectorStores = 'embedded' | 'postgres';

export async function startCeiling(): Promise<Target> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./ceiling-server.ts', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [port] = await once(child.stdout!, 'data');
  return {
    url: `http://127.0.0.1:${String(port).trim()}`, apiKey: 'none', pid: child.pid!,
    async stop() {
      child.kill();
      await once(child, 'exit');
    },
  };
}

export async function startBenchCollector(stores: CollectorStores, env: Record<string, string> = {}): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-bench-'));
  const database = stores === 'postgres' ? await createTestDatabase() : null;
  if (database && !database.url) throw new Error('the Postgres figures need TEST_DATABASE_URL');
  const collector = await startCollectorProcess({
    OBSERVA_DATA_DIR: dataDir, OBSERVA_ADMIN_PASSWORD: 'bench-password', ...(database ? { DATABASE_URL: database.url! } : {}), ...env,
  });
  const apiKey = /^OBSERVA_API_KEY=(.+)$/m.exec(collector.output())![1];
  return {
    url: collector.url, apiKey, pid: collector.child.pid!,
    async stop() {
      await collector.stop();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
