/** Runs the collector as a real process (`tsx collector/src/main.ts`), as `npm start` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { testSecretFor } from './test-secret.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;

export interface CollectorProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  return port;
}

/**
 * Waits until a collector's outbox is empty (everything acknowledged is in the analytics store), as its
 * /healthz reports; returns how long that took. Throws after `timeoutMs`.
 */
export async function waitForEmptyOutbox(url: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const health = (await (await fetch(`${url}/healthz`)).json()) as { outbox: { rows: number } };
    if (health.outbox.rows === 0) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`outbox still holds ${health.outbox.rows} rows after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startCollectorProcess(env: Record<string, string>): Promise<CollectorProcess> {
  const port = await freePort();
  // Any free gRPC port: several collectors of one test must not all claim 4317.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, OBSERVA_PORT: String(port), OBSERVA_GRPC_PORT: '0', OBSERVA_HOST: '127.0.0.1', OBSERVA_LOG_LEVEL: 'warn', ...env };
  // A Postgres server needs OBSERVA_SECRET; unless the test chose one, every process on that database shares one.
  if (childEnv.DATABASE_URL && !childEnv.OBSERVA_SECRET) childEnv.OBSERVA_SECRET = testSecretFor(childEnv.DATABASE_URL);
  const child = spawn(process.execPath, ['--import', 'tsx', 'collector/src/main.ts'], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`collector exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`collector did not start within 60 s:\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (healthy) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    url,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      // Already gone (exited, or killed by a signal: then exitCode stays null and no exit event will come).
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await once(child, 'exit');
      return code;
    },
  };
}
