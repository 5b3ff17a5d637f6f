/** Several collectors starting at once on one empty Postgres: all come up on one migrated schema. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/test-database.ts';
import { openDatabase } from './database.ts';

describe('openDatabase', () => {
  it.runIf(Boolean(process.env.TEST_DATABASE_URL))('lets concurrent starts share one migration run (Postgres server only: PGlite is one process)', async () => {
    const database = await createTestDatabase();
    try {
      const dbs = await Promise.all([1, 2, 3].map(() => openDatabase(database.url, '')));
      const applied = (await dbs[0]('knex_migrations').select('name')).map((m) => m.name);
      const files = readdirSync(new URL('../../../../schemas/migrations/', import.meta.url)).map((f) => f.replace(/\.ts$/, '')).sort();
      expect(applied.sort()).toEqual(files); // each migration ran exactly once
      await Promise.all(dbs.map((db) => db.destroy()));
    } finally {
      await database.drop();
    }
  });
});
