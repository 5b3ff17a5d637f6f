/** The collector process: start, announce the first API key once, drain and stop on SIGTERM/SIGINT. */
import { pino } from 'pino';
import type { BootstrapResult } from './auth/bootstrap.ts';
import { startCollector } from './collector.ts';
import { ConfigError, loadConfig } from './config.ts';

/** How long closing the stores may take after the drain's deadline. */
const CLOSE_GRACE_MS = 5_000;
const log = pino({ level: process.env.OBSERVA_LOG_LEVEL || 'info' });

/** Printed once, on the first start only, the moment the key exists; never logged anywhere else. */
function announce(bootstrap: BootstrapResult): void {
  const password = bootstrap.generatedPassword ? ` password=${bootstrap.generatedPassword}` : '';
  process.stdout.write(`Created default tenant and project; admin login: ${bootstrap.adminEmail}${password}\n`);
  process.stdout.write(`OBSERVA_API_KEY=${bootstrap.apiKey}\n`);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const collector = await startCollector(config, { log, onBootstrap: announce });
  log.info({ url: collector.url, grpc: collector.grpcUrl ?? 'off', dataDir: config.dataDir, controlPlane: config.databaseUrl ? 'postgres' : 'pglite', analytics: collector.analytics.backend }, 'observa collector listening');

  // The first signal drains (requests, then the outbox) within OBSERVA_SHUTDOWN_TIMEOUT_MS; a second one exits at once.
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting without finishing the shutdown; the outbox keeps what was not shipped');
      process.exit(1);
    }
    signalled = true;
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    // Closing the stores after the drain is quick, unless one hangs (e.g. an append to an unreachable
    // Tinybird runs to its own timeout): the process exits anyway; the outbox keeps what was not shipped.
    setTimeout(() => {
      log.error('shutdown overran OBSERVA_SHUTDOWN_TIMEOUT_MS by 5 s; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + CLOSE_GRACE_MS).unref();
    collector.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  log.error({ err: err instanceof ConfigError ? err.message : err }, 'observa collector failed to start');
  process.exit(1);
});
