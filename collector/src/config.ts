/**
 * The collector's whole configuration, read from the environment in this one place, typed and
 * validated at start. Every variable is documented in the README's configuration table.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Trust X-Forwarded-* headers (set when a reverse proxy terminates connections). */
  trustProxy: boolean;
  /** Postgres server for the control plane; null selects embedded PGlite in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  /** Signs API keys and dashboard sessions. When unset, a secret generated once is kept in Postgres. */
  secret: string | null;
  /** Largest request body accepted, measured after decompression. */
  maxBodyBytes: number;
  adminEmail: string;
  adminPassword: string | null;
  logLevel: string;
  /** Where the dashboard's built assets are served from. */
  uiDir: string;
  shipper: { batchSize: number; pollMs: number; leaseMs: number; maxBackoffMs: number };
  /** How long a span key is remembered so a re-sent span does not count twice in trace summaries. */
  dedupWindowHours: number;
  sessionTtlHours: number;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

const SIZE = /^(\d+)\s*(b|kb|kib|mb|mib|gb|gib)?$/i;
const UNITS: Record<string, number> = { b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };

/** Accepts bytes ("1048576") or a size with a unit ("64MiB", "10mb"). */
function byteSize(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const m = SIZE.exec(raw.trim());
  if (!m) throw new ConfigError(`${name} must be a size like 67108864 or 64MiB, got "${raw}"`);
  return Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()];
}

/** The built dashboard when there is one, else the static shell that ships in ui/public. */
function defaultUiDir(): string {
  const built = new URL('../../ui/dist', import.meta.url).pathname;
  return fs.existsSync(path.join(built, 'index.html')) ? built : new URL('../../ui/public', import.meta.url).pathname;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.OBSERVA_DATA_DIR || '.observa');
  const secret = env.OBSERVA_SECRET || null;
  if (secret !== null && secret.length < 32) throw new ConfigError('OBSERVA_SECRET must be at least 32 characters');
  return {
    port: integer(env, 'OBSERVA_PORT', 4318),
    host: env.OBSERVA_HOST || '0.0.0.0',
    trustProxy: boolean(env, 'OBSERVA_TRUST_PROXY', false),
    databaseUrl: env.DATABASE_URL || null,
    dataDir,
    secret,
    maxBodyBytes: byteSize(env, 'OBSERVA_MAX_BODY_BYTES', 64 * 1024 * 1024),
    adminEmail: env.OBSERVA_ADMIN_EMAIL || 'admin@observa.local',
    adminPassword: env.OBSERVA_ADMIN_PASSWORD || null,
    logLevel: env.OBSERVA_LOG_LEVEL || 'info',
    uiDir: path.resolve(env.OBSERVA_UI_DIR || defaultUiDir()),
    shipper: {
      batchSize: integer(env, 'OBSERVA_SHIPPER_BATCH', 50, 1),
      pollMs: integer(env, 'OBSERVA_SHIPPER_POLL_MS', 1000, 10),
      leaseMs: integer(env, 'OBSERVA_SHIPPER_LEASE_MS', 60_000, 1000),
      maxBackoffMs: integer(env, 'OBSERVA_SHIPPER_MAX_BACKOFF_MS', 60_000, 100),
    },
    dedupWindowHours: integer(env, 'OBSERVA_DEDUP_WINDOW_HOURS', 72, 1),
    sessionTtlHours: integer(env, 'OBSERVA_SESSION_TTL_HOURS', 24 * 7, 1),
  };
}
