/**
 * The double's storage: its own chDB Session in its own database (the "workspace"), so it can share
 * a data directory with a ChdbAnalyticsStore without sharing its `events` table. chDB binds ONE data
 * directory per process; sessions on the same path coexist, and each keeps its own `USE` and `SET`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Session, drainPending } from 'chdb';
import { deployDatafiles } from './deploy-datafiles.ts';
import { quarantineTableDdl } from './quarantine.ts';
import { InFlight } from '../../in-flight.ts';

export interface DescribedColumn {
  name: string;
  type: string;
  /** '' when the column has no DEFAULT/MATERIALIZED/ALIAS expression. */
  default_type: string;
}

export type Row = Record<string, unknown>;

export interface Datafiles {
  /** `*.datasource` files, one table each. */
  datasourcesDir: string;
  /** `*.pipe` files; the materialized ones become views. */
  pipesDir: string;
}

export class DoubleDatabase {
  private readonly inFlight = new InFlight();
  private closed = false;

  private constructor(
    readonly session: Session,
    readonly database: string,
    private readonly tempDir: string | null,
    readonly tables: ReadonlyMap<string, DescribedColumn[]>,
  ) {}

  /** Opens `dataDir` (a temp dir removed on close when absent) and deploys the datafiles when missing. */
  static async open(dataDir: string | undefined, database: string, datafiles: Datafiles): Promise<DoubleDatabase> {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`invalid database name: ${database}`);
    const tempDir = dataDir ? null : mkdtempSync(path.join(tmpdir(), 'observa-tinybird-double-'));
    // A store shut down on another path may still be releasing the process's one data directory.
    await drainPending();
    const removeTemp = () => tempDir && rmSync(tempDir, { recursive: true, force: true });
    let session: Session;
    try {
      // Throws while another data directory is open in this process (chDB's one-directory rule).
      session = new Session(dataDir ?? tempDir!);
    } catch (err) {
      removeTemp();
      throw err;
    }
    try {
      await session.queryAsync(`CREATE DATABASE IF NOT EXISTS ${database}`);
      await session.queryAsync(`USE ${database}`);
      // Pipe endpoints answer 64-bit integers as JSON numbers, not quoted strings.
      await session.queryAsync('SET output_format_json_quote_64bit_integers = 0');
      const tables = new Map<string, DescribedColumn[]>();
      for (const name of await deployDatafiles(session, datafiles.datasourcesDir, datafiles.pipesDir)) {
        const columns = await describe(session, name);
        await session.queryAsync(quarantineTableDdl(name, columns));
        tables.set(name, columns);
      }
      return new DoubleDatabase(session, database, tempDir, tables);
    } catch (err) {
      session.close();
      removeTemp();
      throw err;
    }
  }

  get path(): string {
    return this.session.path;
  }

  /** Runs `sql` with server-side `{name:Type}` params in the double's database; JSONEachRow rows. */
  async rows(sql: string, params: Record<string, unknown> = {}): Promise<Row[]> {
    const text = (await this.track(this.session.queryBindAsync(sql, params, { format: 'JSONEachRow' }))).text();
    return text.trim() === '' ? [] : text.trimEnd().split('\n').map((line) => JSON.parse(line) as Row);
  }

  /** Tracks an operation so close() never lands under it (closing a busy connection aborts the engine). */
  track<T>(operation: Promise<T>): Promise<T> {
    return this.inFlight.track(operation);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.inFlight.settled();
    this.session.close();
    await drainPending();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

async function describe(session: Session, table: string): Promise<DescribedColumn[]> {
  const text = (await session.queryAsync(`DESCRIBE TABLE ${table}`, { format: 'JSONEachRow' })).text();
  return text.trim().split('\n').map((line) => JSON.parse(line) as DescribedColumn);
}
