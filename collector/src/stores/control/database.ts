/**
 * Opens the control-plane database: a Postgres server when a URL is given, else embedded PGlite
 * (real Postgres compiled to WebAssembly) in the data directory. Same migrations, same queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
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

export function knexConfig(databaseUrl: string | null, dataDir: string): Knex.Config {
  if (databaseUrl) {
    return { client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 }, migrations: { migrationSource } };
  }
  const filename = path.join(dataDir, 'pg');
  fs.mkdirSync(filename, { recursive: true });
  return { client: ClientPgLite, dialect: 'postgres', connection: { filename }, migrations: { migrationSource } } as Knex.Config;
}

const MIGRATION_LOCK_RETRIES = 30;

/**
 * Errors of a migration run that lost a race with another process's: its lock is held, or it created
 * knex's bookkeeping tables at the same moment (duplicate table / unique violation in the catalog).
 */
function lostMigrationRace(err: unknown): boolean {
  const { name, code } = err as { name?: string; code?: string };
  return name === 'MigrationLocked' || code === '42P07' || code === '23505';
}

export async function openDatabase(databaseUrl: string | null, dataDir: string): Promise<Knex> {
  const db = knexFactory(knexConfig(databaseUrl, dataDir));
  // Collectors starting together on one Postgres: one migrates, the others wait for its lock.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.migrate.latest();
      return db;
    } catch (err) {
      if (!lostMigrationRace(err) || attempt >= MIGRATION_LOCK_RETRIES) {
        await db.destroy();
        throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800));
    }
  }
}
