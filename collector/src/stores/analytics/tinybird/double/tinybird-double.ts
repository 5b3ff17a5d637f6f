/**
 * A Tinybird API double for tests: an HTTP server on 127.0.0.1 that follows the documented wire
 * behaviour (the project's Tinybird reference: Events API, pipe endpoints, static tokens and read
 * JWTs with fixed_params, Data Sources API deletes and the Jobs API), backed by chDB, with fault
 * injection (`faults`). At start it deploys the repository's datafiles (schemas/tinybird/) the way
 * `tb deploy` would: datasources as tables, each with its `_quarantine`, materialized pipes as views;
 * endpoint pipes are read per request.
 *
 * chDB binds ONE data directory per process. The double opens its own Session on `dataDir` (or on
 * `chdbSession.path`, or a temp dir); anything else using chDB in the same process must use that same
 * path. Its tables live in their own database (`database`, default `tinybird`), so sharing a directory
 * with a ChdbAnalyticsStore shares no table.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PIPES_DIR } from '../../pipes/render-pipe.ts';
import { DeleteJobs } from './delete-jobs.ts';
import { DoubleDatabase, type Row } from './double-database.ts';
import { TinybirdFaults } from './faults.ts';
import type { DoubleContext } from './double-context.ts';
import { handleRequest } from './handle-request.ts';
import { RateLimiter } from './rate-limit.ts';
import { MAX_BODY_BYTES } from './request-body.ts';
import type { DoubleRequest } from './request-log.ts';
import { TokenAuth, type StaticToken } from './token-auth.ts';

export type { DelayOptions, DelayPhase, DoubleRoute, FailOptions, TinybirdFaults } from './faults.ts';
export type { DoubleRequest } from './request-log.ts';
export type { StaticToken } from './token-auth.ts';

export interface TinybirdDoubleOptions {
  /** Workspace admin token: ADMIN scope, and the HS256 key read JWTs are signed with. */
  adminToken: string;
  /** Static token with DATASOURCES:APPEND on every deployed datasource. */
  appendToken: string;
  /** Read JWTs must carry this `workspace_id`. */
  workspaceId: string;
  /** chDB data directory; default a temp dir, removed on close. */
  dataDir?: string;
  /** Share the data directory of an open chDB session (the double opens its own session on its path). */
  chdbSession?: { readonly path: string };
  /** Database (the "workspace") holding the datasources and their `_quarantine`s; default `tinybird`. */
  database?: string;
  /** `<pipe>.pipe` files: endpoints read per request, materialized ones deployed at start; default schemas/tinybird/pipes. */
  pipesDir?: string;
  /** `<name>.datasource` files deployed at start (each appendable); default schemas/tinybird/datasources. */
  datasourcesDir?: string;
  /** More static tokens, e.g. `{ token: 'r', scopes: ['PIPES:READ:trace_spans'] }`. */
  tokens?: StaticToken[];
  /** Requests per second per datasource / per read token (JWT `limits.rps` wins); default 100. */
  rateLimitPerSecond?: number;
  /** Events API body limit in bytes, sent and decompressed; default 10 MB (10,000,000). */
  maxBodyBytes?: number;
  /** Delete jobs waiting or working at once before `POST /v0/datasources/<ds>/delete` answers 429; default 10. */
  maxActiveDeleteJobs?: number;
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
}

export interface TinybirdDouble {
  /** Base URL, e.g. `http://127.0.0.1:53121` (no trailing slash). */
  readonly host: string;
  /** Mutate while running to inject failures, delays and quarantined rows. */
  readonly faults: TinybirdFaults;
  /** Every request in arrival order, with what it was answered. */
  readonly requests: DoubleRequest[];
  /** The chDB data directory and database the double writes to. */
  readonly dataDir: string;
  readonly database: string;
  /** SQL on the double's database (`{name:Type}` params), for assertions: `sql('SELECT * FROM events_quarantine')`. */
  sql(query: string, params?: Record<string, unknown>): Promise<Row[]>;
  /** Stops the server (ending pending delays and open connections), then releases chDB. */
  close(): Promise<void>;
}

export async function startTinybirdDouble(options: TinybirdDoubleOptions): Promise<TinybirdDouble> {
  const database = options.database ?? 'tinybird';
  const pipesDir = options.pipesDir ?? fileURLToPath(PIPES_DIR);
  const datasourcesDir = options.datasourcesDir ?? fileURLToPath(new URL('../datasources/', PIPES_DIR));
  const db = await DoubleDatabase.open(options.dataDir ?? options.chdbSession?.path, database, { datasourcesDir, pipesDir });
  const closing = new AbortController();
  const tokens: StaticToken[] = [
    { token: options.appendToken, scopes: [...db.tables.keys()].map((ds) => `DATASOURCES:APPEND:${ds}`) },
    ...(options.tokens ?? []),
  ];
  const faults = new TinybirdFaults();
  const ctx: DoubleContext = {
    db,
    auth: new TokenAuth(options.adminToken, options.workspaceId, tokens),
    faults,
    jobs: new DeleteJobs(db, faults, closing.signal),
    maxActiveDeleteJobs: options.maxActiveDeleteJobs ?? 10,
    limiter: new RateLimiter(),
    pipesDir,
    rateLimitPerSecond: options.rateLimitPerSecond ?? 100,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    requests: [],
    closing: closing.signal,
  };
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const handled = handleRequest(ctx, req, res).catch(() => {
      res.destroy();
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', resolve);
    });
  } catch (err) {
    await db.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | null = null;
  return {
    host: `http://127.0.0.1:${port}`,
    faults: ctx.faults,
    requests: ctx.requests,
    dataDir: db.path,
    database,
    sql: (query, params) => db.rows(query, params),
    close: () => (closed ??= (async () => {
      closing.abort();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      await Promise.allSettled([...inFlight]);
      await db.close();
    })()),
  };
}
