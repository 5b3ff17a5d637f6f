/**
 * The collector's whole configuration, read from the environment in this one place, typed and
 * validated at start. Every variable is documented in the README's configuration table.
 */
import path from 'node:path';
import v8 from 'node:v8';
import { EVENTS_API_MAX_BYTES } from './stores/analytics/tinybird/append-batches.ts';
import { normaliseTinybirdHost } from './stores/analytics/tinybird/tinybird-host.ts';

export interface Config {
  port: number;
  /** The OTLP/gRPC receiver's port, on the same host as HTTP; null when OBSERVA_GRPC_PORT=off. */
  grpcPort: number | null;
  host: string;
  /** Trust X-Forwarded-* headers (set when a reverse proxy terminates connections). */
  trustProxy: boolean;
  /** Postgres server for the control plane; null selects embedded PGlite in dataDir. */
  databaseUrl: string | null;
  /** Redis for the rate limiters' shared counters; null keeps them in the control-plane database. */
  redisUrl: string | null;
  rateLimits: RateLimitsConfig;
  dataDir: string;
  /** The deployment secret (keys derived from it sign JWTs and seal stored tokens); see auth/signing-secret.ts. */
  secret: string | null;
  /** Largest request body accepted, measured after decompression. */
  maxBodyBytes: number;
  /** Ingestion refused with 503 while the outbox backlog or memory is over these bounds (limits/backpressure.ts); 0 disables one. */
  backpressure: { maxOutboxRows: number; maxOutboxBytes: number; maxMemoryBytes: number };
  /** Ingestion bodies read or processed at once, and their bytes; over either, 429 (limits/in-flight-bodies.ts). */
  inFlight: { maxBodies: number; maxBytes: number };
  /** Against slow clients: Node's whole-request, headers and keep-alive timeouts, and the body-read idle timeout. */
  httpTimeouts: { requestMs: number; headersMs: number; keepAliveMs: number; bodyIdleMs: number };
  adminEmail: string;
  adminPassword: string | null;
  logLevel: string;
  /** Where the dashboard's built assets are served from. */
  uiDir: string;
  shipper: { batchSize: number; pollMs: number; leaseMs: number; maxBackoffMs: number };
  /** How long a span key is remembered so a re-sent span does not count twice in trace summaries. */
  dedupWindowHours: number;
  /**
   * OTLP logs: records that are not GenAI events are kept as events of their span unless this is false
   * (then refused through partial success); `joinPollMs` is how often the log joiner looks for spans to complete.
   */
  logs: { storeOtherLogs: boolean; joinPollMs: number };
  /** How often projects' retention is applied to stored traces (control plane and analytics). */
  retentionSweepMinutes: number;
  /** Audit entries older than this are pruned daily; 0 keeps them forever. */
  auditRetentionDays: number;
  /** How long an invitation link stays valid. */
  invitationTtlHours: number;
  /** Absolute lifetime of a dashboard session (the JWT's expiry). */
  sessionTtlHours: number;
  /** A session unused this long expires; each use slides it forward, up to the absolute lifetime. */
  sessionIdleHours: number;
  /** Failed logins (in 15 minutes) after which further attempts are refused with 429. */
  loginThrottle: { maxFailuresPerAccount: number; maxFailuresPerIp: number };
  /** On SIGTERM: how long in-flight requests and the outbox flush may take before the process exits. */
  shutdownTimeoutMs: number;
  /** The analytics data plane: embedded chDB (default) or Tinybird. */
  analytics: 'chdb' | 'tinybird';
  /** With OBSERVA_ANALYTICS=tinybird: the deployment's workspace (every tenant's default) and request limits. */
  tinybird: TinybirdConfig | null;
}

/**
 * Requests per minute per key; 0 disables a limit. The defaults sit well above honest use and stop floods:
 * an OTel BatchSpanProcessor exports at most every 5 s (~12 requests a minute per app process), so 6000
 * per tenant serves ~500 instrumented processes; per IP allows twice that, for a gateway forwarding for
 * several tenants. A dashboard page makes ~10 API calls, so 1200 per IP (20/s) is far above one person
 * or a paging script, and 3000 per tenant leaves room for many users and scripts at once.
 */
export interface RateLimitsConfig {
  ingestPerTenant: number;
  ingestPerIp: number;
  apiPerTenant: number;
  apiPerIp: number;
}

export interface TinybirdConfig {
  host: string;
  appendToken: string;
  /** Signs tenants' read JWTs. */
  adminToken: string;
  workspaceId: string;
  batchRows: number;
  batchBytes: number;
  timeoutMs: number;
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

/** OBSERVA_GRPC_PORT: 4317 (OTLP/gRPC's port) by default, 0 for any free port (tests), `off` for no gRPC receiver. */
function grpcPort(env: Env, httpPort: number): number | null {
  const raw = env.OBSERVA_GRPC_PORT?.trim();
  if (raw === undefined || raw === '') return 4317;
  if (raw.toLowerCase() === 'off') return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`OBSERVA_GRPC_PORT must be a port number (0 for any free port) or off, got "${env.OBSERVA_GRPC_PORT}"`);
  if (port !== 0 && port === httpPort) throw new ConfigError(`OBSERVA_GRPC_PORT must differ from OBSERVA_PORT (both ${port}): OTLP/gRPC and OTLP/HTTP listen on separate ports`);
  return port;
}

/** A positive number of hours; fractions allowed ("0.5" is 30 minutes). */
function hours(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${name} must be a number of hours > 0, got "${raw}"`);
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

function analyticsBackend(env: Env): Config['analytics'] {
  const raw = (env.OBSERVA_ANALYTICS || 'chdb').trim().toLowerCase();
  if (raw !== 'chdb' && raw !== 'tinybird') throw new ConfigError(`OBSERVA_ANALYTICS must be chdb or tinybird, got "${env.OBSERVA_ANALYTICS}"`);
  return raw;
}

function tinybirdConfig(env: Env): TinybirdConfig {
  const required = (name: string) => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigError(`${name} is required when OBSERVA_ANALYTICS=tinybird`);
    return value;
  };
  const host = normaliseTinybirdHost(required('TINYBIRD_HOST'));
  if (!host) throw new ConfigError(`TINYBIRD_HOST must be an http(s) URL such as https://api.tinybird.co, got "${env.TINYBIRD_HOST}"`);
  const adminToken = required('TINYBIRD_ADMIN_TOKEN');
  const batchBytes = byteSize(env, 'TINYBIRD_BATCH_BYTES', 8 * 1024 * 1024);
  if (batchBytes < 1 || batchBytes > EVENTS_API_MAX_BYTES) throw new ConfigError(`TINYBIRD_BATCH_BYTES must be between 1 and 10MiB (the Events API limit), got "${env.TINYBIRD_BATCH_BYTES}"`);
  return {
    host,
    // An admin token may append too; a token scoped to DATASOURCES:APPEND is the least-privilege choice.
    appendToken: env.TINYBIRD_APPEND_TOKEN?.trim() || adminToken,
    adminToken,
    workspaceId: required('TINYBIRD_WORKSPACE_ID'),
    batchRows: integer(env, 'TINYBIRD_BATCH_ROWS', 5000, 1),
    batchBytes,
    timeoutMs: integer(env, 'TINYBIRD_TIMEOUT_MS', 30_000, 100),
  };
}

function redisUrl(env: Env): string | null {
  const raw = env.REDIS_URL?.trim();
  if (!raw) return null;
  if (!/^rediss?:\/\/./.test(raw)) throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${raw}"`);
  return raw;
}

/** 75% of the V8 heap limit: the rest is headroom for the bodies already admitted and for the garbage collector. */
function defaultMaxMemoryMb(): number {
  return Math.floor((v8.getHeapStatistics().heap_size_limit * 0.75) / (1024 * 1024));
}

function httpTimeouts(env: Env): Config['httpTimeouts'] {
  const requestMs = integer(env, 'OBSERVA_REQUEST_TIMEOUT_MS', 120_000, 1000);
  const headersMs = integer(env, 'OBSERVA_HEADERS_TIMEOUT_MS', 30_000, 1000);
  // Node refuses a headers timeout longer than the whole-request one.
  if (headersMs > requestMs) throw new ConfigError(`OBSERVA_HEADERS_TIMEOUT_MS (${headersMs}) must not exceed OBSERVA_REQUEST_TIMEOUT_MS (${requestMs})`);
  return {
    requestMs,
    headersMs,
    keepAliveMs: integer(env, 'OBSERVA_KEEP_ALIVE_TIMEOUT_MS', 65_000, 1000),
    bodyIdleMs: integer(env, 'OBSERVA_BODY_IDLE_TIMEOUT_MS', 30_000, 100),
  };
}

/** The built dashboard when there is one, else the static shell that ships in ui/public. */
function defaultUiDir(): string {
  return new URL('../../ui/dist', import.meta.url).pathname;
}

export function loadConfig(env: Env = process.env): Config {
  const dataDir = path.resolve(env.OBSERVA_DATA_DIR || '.observa');
  const secret = env.OBSERVA_SECRET || null;
  const maxBodyBytes = byteSize(env, 'OBSERVA_MAX_BODY_BYTES', 64 * 1024 * 1024);
  if (secret !== null && secret.length < 32) throw new ConfigError('OBSERVA_SECRET must be at least 32 characters');
  const analytics = analyticsBackend(env);
  const port = integer(env, 'OBSERVA_PORT', 4318);
  return {
    port,
    grpcPort: grpcPort(env, port),
    host: env.OBSERVA_HOST || '0.0.0.0',
    trustProxy: boolean(env, 'OBSERVA_TRUST_PROXY', false),
    databaseUrl: env.DATABASE_URL || null,
    redisUrl: redisUrl(env),
    rateLimits: {
      ingestPerTenant: integer(env, 'OBSERVA_RATE_LIMIT_INGEST_TENANT', 6000),
      ingestPerIp: integer(env, 'OBSERVA_RATE_LIMIT_INGEST_IP', 12000),
      apiPerTenant: integer(env, 'OBSERVA_RATE_LIMIT_API_TENANT', 3000),
      apiPerIp: integer(env, 'OBSERVA_RATE_LIMIT_API_IP', 1200),
    },
    dataDir,
    secret,
    maxBodyBytes,
    backpressure: {
      maxOutboxRows: integer(env, 'OBSERVA_MAX_OUTBOX_ROWS', 200_000),
      maxOutboxBytes: byteSize(env, 'OBSERVA_MAX_OUTBOX_BYTES', 1024 ** 3),
      maxMemoryBytes: integer(env, 'OBSERVA_MAX_MEMORY_MB', defaultMaxMemoryMb()) * 1024 * 1024,
    },
    inFlight: {
      maxBodies: integer(env, 'OBSERVA_MAX_INFLIGHT_BODIES', 100, 1),
      maxBytes: byteSize(env, 'OBSERVA_MAX_INFLIGHT_BYTES', 4 * maxBodyBytes),
    },
    httpTimeouts: httpTimeouts(env),
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
    logs: {
      storeOtherLogs: boolean(env, 'OBSERVA_STORE_OTHER_LOGS', true),
      joinPollMs: integer(env, 'OBSERVA_LOG_JOIN_POLL_MS', 1000, 10),
    },
    retentionSweepMinutes: integer(env, 'OBSERVA_RETENTION_SWEEP_MINUTES', 60, 1),
    auditRetentionDays: integer(env, 'OBSERVA_AUDIT_RETENTION_DAYS', 400),
    invitationTtlHours: integer(env, 'OBSERVA_INVITATION_TTL_HOURS', 24 * 7, 1),
    sessionTtlHours: integer(env, 'OBSERVA_SESSION_TTL_HOURS', 24 * 7, 1),
    sessionIdleHours: hours(env, 'OBSERVA_SESSION_IDLE_HOURS', 24),
    loginThrottle: {
      maxFailuresPerAccount: integer(env, 'OBSERVA_LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1),
      maxFailuresPerIp: integer(env, 'OBSERVA_LOGIN_MAX_FAILURES_PER_IP', 30, 1),
    },
    // Below Kubernetes' default grace period (30 s), so the process exits before it is killed.
    shutdownTimeoutMs: integer(env, 'OBSERVA_SHUTDOWN_TIMEOUT_MS', 25_000),
    analytics,
    tinybird: analytics === 'tinybird' ? tinybirdConfig(env) : null,
  };
}
