/**
 * Two real collector processes sharing one Postgres: concurrent ingestion through both never takes
 * a tenant past its monthly event quota together (the usage row lock in the ingest transaction
 * serialises them), every refused batch is answered 429, and nothing of a refused batch is stored.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../testing/collector-process.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';

const QUOTA = 100;
const BATCH = 7; // 14 batches fit (98 events); a 15th would make 105
const BATCHES_PER_PROCESS = 20;

let database: TestDatabase | null = null;
const dataDirs: string[] = [];
const collectors: CollectorProcess[] = [];
let client: pg.Client | null = null;
afterAll(async () => {
  // Processes first (they hold connections), then the database, then their data dirs.
  await Promise.all(collectors.map((c) => c.stop()));
  await client?.end();
  await database?.drop();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('quota across two collector processes (needs TEST_DATABASE_URL: PGlite belongs to one process, so two collectors cannot share it)', () => {
  it('never exceeds the quota with both processes ingesting at once', async () => {
    database = await createTestDatabase();
    const url = database.url!;
    const startOne = async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-quota-'));
      dataDirs.push(dataDir);
      const collector = await startCollectorProcess({ DATABASE_URL: url, OBSERVA_DATA_DIR: dataDir, OBSERVA_ADMIN_PASSWORD: 'quota-e2e-password' });
      collectors.push(collector);
      return collector;
    };
    // Started together: the migration and bootstrap locks let exactly one of them create the tenant.
    await Promise.all([startOne(), startOne()]);
    const keyLine = collectors.flatMap((c) => c.output().split('\n')).filter((line) => line.startsWith('OBSERVA_API_KEY='));
    expect(keyLine).toHaveLength(1);
    const key = keyLine[0].slice('OBSERVA_API_KEY='.length);

    const db = (client = new pg.Client({ connectionString: url }));
    await db.connect();
    const { rows: [tenant] } = await db.query('UPDATE tenants SET monthly_event_quota = $1 RETURNING id', [QUOTA]);

    const send = (collector: CollectorProcess) => {
      const traceId = randomTraceId();
      const spans = Array.from({ length: BATCH }, (_, i) => jsonSpan({ traceId, name: `op ${i}` }));
      return fetch(`${collector.url}/v1/traces`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(otlpJson(spans)),
      }).then(async (response) => ({ status: response.status, retryAfter: response.headers.get('retry-after'), body: await response.text() }));
    };
    const answers = await Promise.all(Array.from({ length: BATCHES_PER_PROCESS * 2 }, (_, i) => send(collectors[i % 2])));

    const accepted = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(accepted.length + refused.length).toBe(answers.length);
    expect(accepted).toHaveLength(Math.floor(QUOTA / BATCH));
    for (const answer of refused) {
      expect(Number(answer.retryAfter)).toBeGreaterThan(0);
      expect(JSON.parse(answer.body).message).toContain(`monthly event quota of ${QUOTA} events for tenant ${tenant.id}`);
    }
    const count = async (sql: string) => Number((await db.query(sql, [tenant.id])).rows[0].n);
    expect(await count('SELECT COALESCE(sum(events), 0) AS n FROM usage_counters WHERE tenant_id = $1')).toBe(accepted.length * BATCH);
    expect(await count('SELECT COALESCE(sum(span_count), 0) AS n FROM trace_summaries WHERE tenant_id = $1')).toBe(accepted.length * BATCH);
    expect(await count('SELECT count(*) AS n FROM trace_summaries WHERE tenant_id = $1')).toBe(accepted.length);
  }, 180_000);
});
