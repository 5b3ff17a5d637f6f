/**
 * The read benchmark's dataset: a Postgres database (`bench_reads`) and a collector data directory
 * (`.tmp/bench-reads/data`, git-ignored) holding one tenant with a large project (TRACES traces,
 * ~10 spans each) and a small one (a copy of the 200-span detail trace, nothing else).
 *
 * Seeding takes minutes, so the dataset is kept between runs and reused while its key matches: the
 * generator's source, the migrations, the events table DDL and the trace count. It is reseeded after
 * MAX_AGE_DAYS, before the events' TTL (30 days from ingest) starts dropping rows.
 *
 * The tenant, projects, users and API keys are made the way a user makes them: the collector's first
 * start bootstraps the tenant and admin, the admin signs in and creates the small project and a
 * read-only key per project over the HTTP API.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startCollectorProcess } from '../../collector/src/testing/collector-process.ts';
import { eventsTableDdl } from '../../collector/src/stores/analytics/events-table.ts';
import { DAYS } from './dataset-shape.ts';
import { seedAnalyticsInChild } from './seed-analytics.ts';
import { seedControlPlane } from './seed-control-plane.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const CACHE_DIR = path.join(ROOT, '.tmp', 'bench-reads');
const META_FILE = path.join(CACHE_DIR, 'dataset.json');
const DATABASE = 'bench_reads';
const MAX_AGE_DAYS = 20;
const ADMIN = { email: 'bench@reads.local', password: 'bench reads admin password' };

export interface ProjectAccess {
  projectId: string;
  /** A key with the `read` scope only. */
  apiKey: string;
}

export interface ReadsDataset {
  key: string;
  databaseUrl: string;
  dataDir: string;
  /** OBSERVA_SECRET the keys were signed with. */
  secret: string;
  tenantId: string;
  large: ProjectAccess;
  small: ProjectAccess;
  traces: number;
  events: number;
  detailTraceId: string;
  /** The traces span the DAYS before this instant (epoch ms). */
  endMs: number;
  createdAt: string;
  /** Seconds each seeding step took when the dataset was made. */
  seedSeconds: Record<string, number>;
}

/** Everything the data depends on: a change to any of it makes the cached dataset stale. */
function datasetKey(traces: number): string {
  const hash = createHash('sha256').update(String(traces)).update(eventsTableDdl());
  for (const file of ['dataset.ts', 'dataset-shape.ts', 'seed-analytics.ts', 'seed-control-plane.ts']) {
    hash.update(fs.readFileSync(path.join(ROOT, 'bench', 'reads', file)));
  }
  hash.update(fs.readdirSync(path.join(ROOT, 'schemas', 'migrations')).sort().join('\n'));
  return hash.digest('hex').slice(0, 16);
}

function databaseUrlOf(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = `/${name}`;
  return url.toString();
}

async function recreateDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: databaseUrlOf('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return databaseUrlOf(DATABASE);
}

function cachedDataset(key: string): ReadsDataset | null {
  if (!fs.existsSync(META_FILE)) return null;
  const meta = JSON.parse(fs.readFileSync(META_FILE, 'utf8')) as ReadsDataset;
  const ageDays = (Date.now() - Date.parse(meta.createdAt)) / 86_400_000;
  return meta.key === key && ageDays < MAX_AGE_DAYS && fs.existsSync(meta.dataDir) ? meta : null;
}

/** Whether the cached dataset's database is still there (it may be dropped apart from the data dir). */
async function databaseHolds(dataset: ReadsDataset): Promise<boolean> {
  const client = new pg.Client({ connectionString: dataset.databaseUrl });
  try {
    await client.connect();
    return (await client.query('SELECT 1 FROM projects WHERE id = $1', [dataset.large.projectId])).rowCount === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function call<T>(url: string, pathname: string, token: string | null, body?: unknown): Promise<T> {
  const response = await fetch(`${url}${pathname}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${pathname} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** First start on the empty database: bootstrap, then the admin makes the small project and the read keys. */
async function bootstrap(databaseUrl: string, dataDir: string, secret: string) {
  const collector = await startCollectorProcess({
    DATABASE_URL: databaseUrl, OBSERVA_DATA_DIR: dataDir, OBSERVA_SECRET: secret,
    OBSERVA_ADMIN_EMAIL: ADMIN.email, OBSERVA_ADMIN_PASSWORD: ADMIN.password,
  });
  try {
    const { token } = await call<{ token: string }>(collector.url, '/api/v1/auth/login', null, ADMIN);
    const { data: [large] } = await call<{ data: { id: string; tenant_id: string }[] }>(collector.url, '/api/v1/projects', token);
    const small = await call<{ id: string }>(collector.url, `/api/v1/tenants/${large.tenant_id}/projects`, token, { name: 'Small' });
    const readKey = async (projectId: string) => {
      const created = await call<{ key: string }>(collector.url, `/api/v1/projects/${projectId}/api-keys`, token, { name: 'bench reads', scopes: ['read'] });
      return { projectId, apiKey: created.key };
    };
    return { tenantId: large.tenant_id, large: await readKey(large.id), small: await readKey(small.id) };
  } finally {
    await collector.stop();
  }
}

export async function ensureDataset(traces: number, log: (line: string) => void): Promise<ReadsDataset> {
  const key = datasetKey(traces);
  const cached = cachedDataset(key);
  if (cached && (await databaseHolds(cached))) return cached;

  log(`reads: seeding ${traces} traces (dataset key ${key}); this takes a few minutes and is kept for the next runs`);
  fs.rmSync(CACHE_DIR, { recursive: true, force: true });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const dataDir = path.join(CACHE_DIR, 'data');
  const secret = randomBytes(32).toString('base64url');
  const seedSeconds: Record<string, number> = {};
  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    seedSeconds[name] = (performance.now() - started) / 1000;
    log(`reads: ${name} ${seedSeconds[name].toFixed(1)} s`);
    return result;
  };

  const databaseUrl = await recreateDatabase();
  const access = await step('bootstrap (migrations, tenant, keys)', () => bootstrap(databaseUrl, dataDir, secret));
  const endMs = Math.floor(Date.now() / 60_000) * 60_000;
  const files = { summariesCsv: path.join(CACHE_DIR, 'trace-summaries.csv'), sessionsCsv: path.join(CACHE_DIR, 'sessions.csv') };
  const analytics = await step('chDB events and summary export', () => seedAnalyticsInChild({
    chdbPath: path.join(dataDir, 'chdb'), tenantId: access.tenantId, projectId: access.large.projectId,
    smallProjectId: access.small.projectId, traces, detailIndex: traces - 1000, endMs, ...files,
  }));
  await step('Postgres COPY, scores, VACUUM ANALYZE', () => seedControlPlane({ databaseUrl, ...files, detailTraceId: analytics.detailTraceId }));
  for (const file of Object.values(files)) fs.rmSync(file);

  const dataset: ReadsDataset = {
    key, databaseUrl, dataDir, secret, ...access, traces, events: analytics.events, detailTraceId: analytics.detailTraceId,
    endMs, createdAt: new Date().toISOString(), seedSeconds,
  };
  fs.writeFileSync(META_FILE, JSON.stringify(dataset, null, 2));
  return dataset;
}

export const WINDOW_MS = DAYS * 86_400_000;
