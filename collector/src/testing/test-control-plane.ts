/** A migrated control-plane database for one test file (Postgres when TEST_DATABASE_URL is set, else PGlite). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase } from '../stores/control/database.ts';
import { createTestDatabase } from './test-database.ts';

export interface TestControlPlane {
  db: Knex;
  url: string | null;
  /** Inserts a tenant and a project; returns their ids. */
  createProject(): Promise<{ tenantId: string; projectId: string }>;
  close(): Promise<void>;
}

export async function openTestControlPlane(): Promise<TestControlPlane> {
  const database = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-cp-'));
  const db = await openDatabase(database.url, dataDir);
  return {
    db,
    url: database.url,
    async createProject() {
      const tenantId = randomUUID();
      const projectId = randomUUID();
      await db('tenants').insert({ id: tenantId, slug: `t-${tenantId}`, name: 'Test tenant' });
      await db('projects').insert({ id: projectId, tenant_id: tenantId, slug: 'p', name: 'Test project' });
      return { tenantId, projectId };
    },
    async close() {
      await db.destroy();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * For a test file: a control plane opened before its tests (with one project) and closed after.
 * Fields are filled in beforeAll, so read them inside tests.
 */
export function useTestControlPlane(): { cp: TestControlPlane; scope: { tenantId: string; projectId: string } } {
  const context = {} as { cp: TestControlPlane; scope: { tenantId: string; projectId: string } };
  beforeAll(async () => {
    context.cp = await openTestControlPlane();
    context.scope = await context.cp.createProject();
  });
  afterAll(async () => {
    await context.cp?.close();
  });
  return context;
}
