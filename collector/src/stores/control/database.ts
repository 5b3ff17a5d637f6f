/**
 * Opens the control-plane database: a Postgres server when a URL is given, else embedded PGlite
 * (real Postgres compiled to WebAssembly) in the data directory. Same migrations, same queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import ClientPgLite from 'knex-pglite';
import pg from 'pg';

const MIGRATIONS_DIR = new URL('../../../../schemas/migrations/', import.meta.url);

// int8 (counts, tokens) and numeric (costs) arrive as strings from node-postgres; ours fit in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** Reads migrations from schemas/migrations in name order, so the SQL contract lives beside the other schemas. */
const migrationSource: Knex.MigrationSource<string> = {
  async getMigrations() {
    return fs.readdirSync(MIGRATIONS_DIR).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  },
  getMigrationName: (file) => file.replace(/\.(ts|js)$/, ''),
  getMigration: (file) => import(new URL(file, MIGRATIONS_DIR).href),
};

/**
 * knex prints every failed connection attempt, stack and all, to stdout outside the JSON log: during
 * a Postgres outage that is one multi-line dump per request. The same error reaches the caller, which
 * reports it (a 503, a paused background loop), so that copy is dropped; other warnings still show.
 */
const knexLog = {
  warn(message: string) {
    if (!message.startsWith('Acquire connection error')) console.warn(message);
  },
};

/**
 * PGlite's own bytea codec walks the bytes in JavaScript (hex digit by hex digit): on the megabyte
 * outbox payloads that was a quarter of the collector's CPU under load. Parameters go out as binary
 * (PGlite sends a typed array as a binary parameter) and results are read with Node's native hex decoder.
 */
const fastBytea = {
  // Typed as returning a string, but PGlite's Bind writes any typed array as a binary parameter.
  serializers: { [pgliteTypes.BYTEA]: (bytes: Uint8Array) => bytes as unknown as string },
  parsers: { [pgliteTypes.BYTEA]: (hex: string) => Buffer.from(hex.slice(2), 'hex') },
};

/**
 * Embedded Postgres settings. shared_buffers: PGlite's 128 MB default is resident memory in the
 * collector's own process; the control plane's hot rows fit in far less (the OS caches the files).
 */
const EMBEDDED_POSTGRES_CONF = ['shared_buffers=32MB'];

const embeddedDir = (dataDir: string) => path.join(dataDir, 'pg');

/**
 * Creates the embedded cluster with an instance of its own, closed at once: initdb grows the WASM
 * memory of the instance that runs it to ~750 MB, which stays resident for the life of that instance
 * (WebAssembly memory never shrinks), so the collector must not keep it.
 */
async function initialiseEmbedded(dataDir: string): Promise<void> {
  const dir = embeddedDir(dataDir);
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return;
  fs.mkdirSync(dir, { recursive: true });
  const initdb = await PGlite.create(dir);
  await initdb.close();
}

export function knexConfig(databaseUrl: string | null, dataDir: string): Knex.Config {
  if (databaseUrl) {
    return { client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 }, migrations: { migrationSource }, log: knexLog };
  }
  const filename = embeddedDir(dataDir);
  fs.mkdirSync(filename, { recursive: true });
  const pglite = new PGlite(filename, { ...fastBytea, postgresqlconf: EMBEDDED_POSTGRES_CONF });
  return { client: ClientPgLite, dialect: 'postgres', connection: { pglite }, migrations: { migrationSource } } as Knex.Config;
}

/** Advisory lock key held while migrating, so collectors starting together migrate one at a time. */
const MIGRATION_LOCK = 4318002;

/**
 * Runs the migrations under a Postgres advisory lock held on a connection of its own: knex's own
 * lock table is created by the migration run itself, so concurrent first starts would race on it.
 * PGlite belongs to one process and needs no lock.
 */
async function migrate(db: Knex, databaseUrl: string | null): Promise<void> {
  if (!databaseUrl) return void (await db.migrate.latest());
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await db.migrate.latest();
  } finally {
    await lock.end(); // ending the session releases the lock
  }
}

export async function openDatabase(databaseUrl: string | null, dataDir: string): Promise<Knex> {
  if (!databaseUrl) await initialiseEmbedded(dataDir);
  const db = knexFactory(knexConfig(databaseUrl, dataDir));
  try {
    await migrate(db, databaseUrl);
    return db;
  } catch (err) {
    await db.destroy();
    throw err;
  }
}
