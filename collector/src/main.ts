/** The collector process: start, announce the first API key once, stop cleanly on SIGTERM/SIGINT. */
import { pino } from 'pino';
import type { BootstrapResult } from './auth/bootstrap.ts';
import { startCollector } from './collector.ts';
import { ConfigError, loadConfig } from './config.ts';

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
  log.info({ url: collector.url, dataDir: config.dataDir, controlPlane: config.databaseUrl ? 'postgres' : 'pglite', analytics: collector.analytics.backend }, 'observa collector listening');

  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    collector.stop().then(
      () => process.exit(0),
      (err) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  log.error({ err: err instanceof ConfigError ? err.message : err }, 'observa collector failed to start');
  process.exit(1);
});
