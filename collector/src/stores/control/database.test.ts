/** Several collectors starting at once on one empty Postgres: all come up on one migrated schema. */
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/test-database.ts';
import { openDatabase } from './database.ts';

describe('openDatabase', () => {
  it.runIf(Boolean(process.env.TEST_DATABASE_URL))('lets concurrent starts share one migration run (Postgres server only: PGlite is one process)', async () => {
    const database = await createTestDatabase();
    try {
      const dbs = await Promise.all([1, 2, 3].map(() => openDatabase(database.url, '')));
      const applied = await dbs[0]('knex_migrations').select('name');
      expect(applied.map((m) => m.name)).toEqual(['20261129_0001_control_plane']);
      await Promise.all(dbs.map((db) => db.destroy()));
    } finally {
      await database.drop();
    }
  });
});
