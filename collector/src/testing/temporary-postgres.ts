/**
 * A private Postgres cluster for one test: initdb in a temporary directory, listening on a free
 * port on 127.0.0.1 (its unix socket inside the directory), so a test can stop and start it without
 * touching the server other tests share. Postgres refuses to run as root: when the test runs as
 * root, the binaries run as the `postgres` user, which then owns the directory.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './collector-process.ts';

const run = promisify(execFile);
const POSTGRES_LIB = '/usr/lib/postgresql';

/** The newest installed server's bin directory (Debian layout), or null when there is none. */
export function findPostgresBin(): string | null {
  if (!fs.existsSync(POSTGRES_LIB)) return null;
  const versions = fs.readdirSync(POSTGRES_LIB).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  const version = versions.find((v) => fs.existsSync(path.join(POSTGRES_LIB, v, 'bin', 'pg_ctl')) && fs.existsSync(path.join(POSTGRES_LIB, v, 'bin', 'initdb')));
  return version ? path.join(POSTGRES_LIB, version, 'bin') : null;
}

export interface TemporaryPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust auth). */
  url: string;
  /** `fast` is a clean shutdown; `immediate` aborts like a crash, and the next start recovers from WAL. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** Starts again on the same port and directory; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server and removes its directory. */
  close(): Promise<void>;
}

export async function startTemporaryPostgres(): Promise<TemporaryPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`no Postgres server binaries under ${POSTGRES_LIB}/*/bin`);
  const asRoot = process.getuid?.() === 0;
  const pgCommand = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-postgres-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout), Number(gid));
  }
  const dataDir = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const port = await freePort();
  await pgCommand('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`;

  const start = async () => {
    await pgCommand('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate') => {
    await pgCommand('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async close() {
      await stop('immediate').catch(() => {}); // already stopped is fine
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
