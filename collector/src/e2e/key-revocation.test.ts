/**
 * Revocation reaches every collector process within seconds: a key revoked (or rotated away) through
 * one process is refused by another process sharing the database once its 5 s key cache expires, while
 * the rotated key works on both.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../testing/collector-process.ts';
import { jsonSpan, otlpJson } from '../testing/otlp-json.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';

const PASSWORD = 'key revocation e2e password';
const KEY_CACHE_MS = 5_000;

describe.skipIf(!process.env.TEST_DATABASE_URL)('key revocation across two collector processes (needs TEST_DATABASE_URL: processes cannot share embedded PGlite)', () => {
  let database: TestDatabase;
  const dataDirs: string[] = [];
  const processes: CollectorProcess[] = [];
  let token: string;
  let projectId: string;

  async function api(base: string, pathname: string, init: RequestInit = {}) {
    const response = await fetch(`${base}${pathname}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(response.ok, `${pathname}: ${response.status}`).toBe(true);
    return response.status === 204 ? null : ((await response.json()) as any);
  }

  const ingest = (base: string, key: string) =>
    fetch(`${base}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(otlpJson([jsonSpan()])) });

  /** Milliseconds until `base` refuses `key` with 401 (polling every 100 ms, at most 10 s). */
  async function refusedAfter(base: string, key: string): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < 10_000) {
      if ((await ingest(base, key)).status === 401) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return Infinity;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 2; i++) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-revocation-e2e-'));
      dataDirs.push(dataDir);
      processes.push(await startCollectorProcess({ DATABASE_URL: database.url!, OBSERVA_DATA_DIR: dataDir, OBSERVA_ADMIN_PASSWORD: PASSWORD }));
    }
    const login = await fetch(`${processes[0].url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@observa.local', password: PASSWORD }) });
    token = ((await login.json()) as any).token;
    projectId = (await api(processes[0].url, '/api/v1/projects')).data[0].id;
  }, 120_000);

  afterAll(async () => {
    for (const process of processes) await process.stop();
    await database?.drop();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const [first, second] = [() => processes[0].url, () => processes[1].url];

  it('a key revoked on one process is refused by the other within the cache period', async () => {
    const created = await api(first(), `/api/v1/projects/${projectId}/api-keys`, { method: 'POST', body: JSON.stringify({ name: 'to revoke', scopes: ['ingest'] }) });
    // Both processes have seen the key live, so both hold it in their caches.
    expect((await ingest(first(), created.key)).status).toBe(200);
    expect((await ingest(second(), created.key)).status).toBe(200);
    await api(first(), `/api/v1/projects/${projectId}/api-keys/${created.id}`, { method: 'DELETE' });
    expect((await ingest(first(), created.key)).status).toBe(401);
    expect(await refusedAfter(second(), created.key)).toBeLessThanOrEqual(KEY_CACHE_MS + 1_000);
  });

  it('a rotated key stops working everywhere and its replacement works everywhere', async () => {
    const created = await api(first(), `/api/v1/projects/${projectId}/api-keys`, { method: 'POST', body: JSON.stringify({ name: 'to rotate', scopes: ['ingest'] }) });
    expect((await ingest(first(), created.key)).status).toBe(200);
    expect((await ingest(second(), created.key)).status).toBe(200);
    const rotated = await api(second(), `/api/v1/projects/${projectId}/api-keys/${created.id}/rotate`, { method: 'POST' });
    expect(rotated).toMatchObject({ name: 'to rotate', scopes: ['ingest'], replaces: created.id });
    expect((await ingest(first(), rotated.key)).status).toBe(200);
    expect((await ingest(second(), rotated.key)).status).toBe(200);
    expect(await refusedAfter(first(), created.key)).toBeLessThanOrEqual(KEY_CACHE_MS + 1_000);
    const listed = (await api(first(), `/api/v1/projects/${projectId}/api-keys`)).data;
    expect(listed.find((k: any) => k.id === created.id)).toMatchObject({ active: false });
    expect(listed.find((k: any) => k.id === rotated.id)).toMatchObject({ active: true, prefix: rotated.key.slice(-8) });
    expect(JSON.stringify(listed)).not.toContain(rotated.key);
  });
});
