/**
 * Wires the collector from its configuration: control plane, analytics store, auth, ingest pipeline,
 * shipper and HTTP app. main.ts runs it as a process; tests start it in-process on a free port.
 */
import { once } from 'node:events';
import http from 'node:http';
import path from 'node:path';
import type { Knex } from 'knex';
import type Koa from 'koa';
import { pino, type Logger } from 'pino';
import { createApp } from './app/app.ts';
import { createIngestAdmission } from './app/ingest-admission.ts';
import { drainableHandler } from './app/drainable-handler.ts';
import { createRateLimitStore } from './limits/rate-limit-store.ts';
import { ApiKeys } from './auth/api-keys.ts';
import { bootstrapIfEmpty, type BootstrapResult } from './auth/bootstrap.ts';
import { loadDeploymentKeys } from './auth/signing-secret.ts';
import { UserSessions } from './auth/user-sessions.ts';
import type { Config } from './config.ts';
import { SecretBox } from './crypto/secret-box.ts';
import { IngestPipeline } from './pipeline/ingest.ts';
import { OutboxShipper } from './pipeline/outbox-shipper.ts';
import { pruneSeenSpans } from './pipeline/prune-seen-spans.ts';
import { LogIngest } from './pipeline/ingest-logs.ts';
import { LogJoiner } from './pipeline/log-joiner.ts';
import { exportLogs } from './receivers/export-logs.ts';
import { exportTraces } from './receivers/export-traces.ts';
import type { OtlpExports } from './receivers/otlp-http.ts';
import { startOtlpGrpcServer } from './receivers/otlp-grpc.ts';
import { DeletionExecutor } from './retention/deletion-executor.ts';
import { RetentionSweeper } from './retention/retention-sweeper.ts';
import type { AnalyticsStore } from './stores/analytics/analytics-store.ts';
import { ChdbAnalyticsStore } from './stores/analytics/chdb/chdb-store.ts';
import { TinybirdAnalyticsStore } from './stores/analytics/tinybird/tinybird-store.ts';
import { startAuditLogPruner } from './stores/control/audit-log-pruner.ts';
import { openDatabase } from './stores/control/database.ts';
import { ModelPriceOverrides } from './stores/control/model-price-overrides.ts';
import { ProjectRetention } from './stores/control/project-retention.ts';
import { TenantAnalyticsSettings } from './stores/control/tenant-analytics-settings.ts';

export interface Collector {
  config: Config;
  db: Knex;
  analytics: AnalyticsStore;
  apiKeys: ApiKeys;
  shipper: OutboxShipper;
  server: http.Server;
  /** The Koa app (tests list its routes). */
  app: Koa;
  /** The first-start bootstrap, when this start created the default tenant. */
  bootstrap: BootstrapResult | null;
  url: string;
  /** The OTLP/gRPC receiver's host:port (an exporter's endpoint is http://<grpcUrl>); null when OBSERVA_GRPC_PORT=off. */
  grpcUrl: string | null;
  stop(): Promise<void>;
}

export interface CollectorOptions {
  log?: Logger;
  /** Replaces the embedded chDB store (tests inject the in-memory store or a failing one). */
  analytics?: AnalyticsStore;
  /** Called as soon as a first start has created the default tenant, before anything else can fail. */
  onBootstrap?: (result: BootstrapResult) => void;
}

const HOUR_MS = 3600_000;

export async function startCollector(config: Config, options: CollectorOptions = {}): Promise<Collector> {
  const log = options.log ?? pino({ level: config.logLevel });
  const db = await openDatabase(config.databaseUrl, config.dataDir);
  try {
    return await assemble(config, options, log, db);
  } catch (err) {
    // A start that fails half-way (store, bootstrap, port in use) releases what it opened.
    await db.destroy();
    throw err;
  }
}

async function assemble(config: Config, options: CollectorOptions, log: Logger, db: Knex): Promise<Collector> {
  // The deployment secret also seals tenants' analytics tokens, so it is loaded before the store.
  const keys = await loadDeploymentKeys(db, config);
  const tenantAnalytics = new TenantAnalyticsSettings(db, new SecretBox(keys.secretBox), config.tinybird);
  const analytics = options.analytics ?? (config.tinybird
    ? new TinybirdAnalyticsStore({ targets: tenantAnalytics, batchRows: config.tinybird.batchRows, batchBytes: config.tinybird.batchBytes, timeoutMs: config.tinybird.timeoutMs })
    : new ChdbAnalyticsStore({ path: path.join(config.dataDir, 'chdb') }));
  await analytics.start();
  try {
    return await serve(config, options, log, db, keys.jwtSigning, tenantAnalytics, analytics);
  } catch (err) {
    await analytics.shutdown();
    throw err;
  }
}

async function serve(
  config: Config, options: CollectorOptions, log: Logger, db: Knex, jwtSigningKey: Uint8Array,
  tenantAnalytics: TenantAnalyticsSettings, analytics: AnalyticsStore,
): Promise<Collector> {
  const apiKeys = new ApiKeys(db, jwtSigningKey);
  const sessions = new UserSessions(db, jwtSigningKey, config.sessionTtlHours, config.sessionIdleHours);
  const bootstrap = await bootstrapIfEmpty(db, apiKeys, { email: config.adminEmail, password: config.adminPassword });
  if (bootstrap) options.onBootstrap?.(bootstrap);

  const shipper = new OutboxShipper(db, analytics, config.shipper, log.child({ component: 'shipper' }));
  const priceOverrides = new ModelPriceOverrides(db);
  const retention = new ProjectRetention(db);
  const pipeline = new IngestPipeline(db, shipper, priceOverrides, retention);
  // OTLP log records wait for their span; the joiner completes the span once both are stored.
  const joiner = new LogJoiner({ db, analytics, shipper, priceOverrides, retention, log: log.child({ component: 'log-joiner' }) }, config.logs.joinPollMs);
  shipper.whenDelivered(() => joiner.poke());
  const logIngest = new LogIngest(db, config.logs, () => joiner.poke());
  const otlpExports: OtlpExports = {
    traces: (principal, body, encoding) => exportTraces(pipeline, principal, body, encoding),
    logs: (principal, body, encoding) => exportLogs(logIngest, principal, body, encoding),
  };
  const rateLimitStore = createRateLimitStore({ redisUrl: config.redisUrl, db, log });
  // One admission for both transports: the same counters and bounds over OTLP/HTTP and OTLP/gRPC.
  const admission = createIngestAdmission({ config, log, db, apiKeys, sessions, shipper, rateLimitStore });
  const app = createApp({ config, log, db, analytics, apiKeys, sessions, pipeline, otlpExports, shipper, priceOverrides, tenantAnalytics, admission });

  const gate = drainableHandler(app.callback());
  // Slow clients: the whole request, its headers, and idle kept-alive connections are timed (config.ts).
  // Expired requests are found every second rather than Node's default 30 s.
  const { requestMs, headersMs, keepAliveMs } = config.httpTimeouts;
  const server = http.createServer({ requestTimeout: requestMs, headersTimeout: headersMs, connectionsCheckingInterval: 1000 }, gate.handle);
  server.keepAliveTimeout = keepAliveMs;
  server.listen(config.port, config.host);
  await once(server, 'listening');
  // OTLP/gRPC on its own port of the same host; a start that cannot bind it gives the HTTP port back.
  const grpcReceiver = config.grpcPort === null ? null : await startOtlpGrpcServer({
    host: config.host, port: config.grpcPort, maxMessageBytes: config.maxBodyBytes, admission: admission.steps, exports: otlpExports, log: log.child({ component: 'otlp-grpc' }),
  }).catch(async (err: unknown) => {
    await new Promise((resolve) => server.close(resolve));
    throw err;
  });
  // Background work starts once the port is ours, so a start that fails leaves nothing running.
  shipper.start();
  joiner.start();
  const pruner = setInterval(() => {
    pruneSeenSpans(db, config.dedupWindowHours).catch((err) => log.warn({ err: err.message }, 'pruning seen spans failed'));
  }, HOUR_MS);
  pruner.unref();
  const auditPruner = startAuditLogPruner(db, config.auditRetentionDays, log);
  // Deletions and retention: spans leave the analytics store once the outbox holds none of them.
  const deletions = new DeletionExecutor(db, analytics, config.shipper, log.child({ component: 'deletions' }));
  deletions.start();
  const sweeper = new RetentionSweeper(db, { intervalMs: config.retentionSweepMinutes * 60_000 }, log.child({ component: 'retention' }));
  sweeper.start();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // One budget for requests and the flush; the outbox keeps whatever is not shipped by then.
      const deadline = Date.now() + config.shutdownTimeoutMs;
      clearInterval(pruner);
      // Stop accepting, let in-flight requests finish; past the deadline they are cut, unacknowledged.
      gate.drain();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const grpcDrained = grpcReceiver?.drain() ?? Promise.resolve();
      if (!(await settlesBefore(closed, deadline))) {
        log.warn({ requests: gate.inFlight() }, 'shutdown timeout: cutting in-flight requests (not acknowledged; clients retry)');
        server.closeAllConnections();
        await closed;
      }
      if (!(await settlesBefore(grpcDrained, deadline))) {
        log.warn('shutdown timeout: cutting in-flight gRPC calls (not acknowledged; clients retry)');
        grpcReceiver?.cut();
      }
      await auditPruner.stop(); // a prune in progress ends before the database closes
      // A round reads the analytics store, which may hang; cut short, its transaction rolls back and the records stay pending.
      if (!(await settlesBefore(joiner.shutdown(), deadline))) log.warn('shutdown timeout: log join round cut short');
      // The loop's round and the flush both wait on the store, which may hang: both count against the deadline.
      const flushed = shipper.shutdown().then(() => shipper.drain(deadline)).catch((err) => log.warn({ err: err.message }, 'outbox flush failed at shutdown'));
      if (!(await settlesBefore(flushed, deadline))) log.warn('shutdown timeout: outbox flush cut short');
      const left = await shipper.backlog().catch(() => null);
      if (left && left.rows > 0) log.warn({ rows: left.rows, events: left.events }, 'outbox not fully shipped at shutdown; it ships on the next start');
      await sweeper.stop();
      await deletions.shutdown();
      await analytics.shutdown();
      await rateLimitStore.close();
      await db.destroy();
    })());

  return { config, db, analytics, apiKeys, shipper, server, app, bootstrap, url, grpcUrl: grpcReceiver?.address ?? null, stop };
}

/** True when `work` settles before `deadline` (epoch ms), false when time runs out first; the work goes on. */
async function settlesBefore(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()))));
  try {
    return await Promise.race([work.then(() => true, () => true), timeUp]);
  } finally {
    clearTimeout(timer);
  }
}
