/**
 * Two real collector processes on one Postgres, both shipping to one Tinybird double, under a load
 * sent half to each: their shippers claim outbox rows from the same table at the same time (leases
 * under FOR UPDATE SKIP LOCKED), and every acknowledged span reaches the one store exactly once, not
 * once per process. Counted in the double's raw table (no FINAL), where a second delivery would show.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTinybirdDouble, type TinybirdDouble } from '../stores/analytics/tinybird/double/tinybird-double.ts';
import { startCollectorProcess, waitForEmptyOutbox, type CollectorProcess } from '../testing/collector-process.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { formatTally, spanCopies, startSpanLoad, tally, unretryableRefusals, wrongTraceSummaries } from '../testing/span-load.ts';
import { openDatabase } from '../stores/control/database.ts';

const TOKENS = { adminToken: 'admin-token-0123456789', appendToken: 'append-token-0123456789', workspaceId: 'ws-two' };
const BATCHES = 200;

let database: TestDatabase | null = null;
let double: TinybirdDouble | null = null;
const dataDirs: string[] = [];
const collectors: CollectorProcess[] = [];
afterAll(async () => {
  await Promise.all(collectors.map((c) => c.stop()));
  await double?.close();
  await database?.drop();
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('two collectors under load (needs TEST_DATABASE_URL: PGlite belongs to one process, so two collectors cannot share it)', () => {
  it('delivers every acknowledged span to the shared store exactly once', async () => {
    database = await createTestDatabase();
    double = await startTinybirdDouble({ ...TOKENS, rateLimitPerSecond: 10_000 });
    const startOne = async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-two-'));
      dataDirs.push(dataDir);
      const collector = await startCollectorProcess({
        DATABASE_URL: database!.url!, OBSERVA_DATA_DIR: dataDir, OBSERVA_ADMIN_PASSWORD: 'two-collectors-password',
        OBSERVA_ANALYTICS: 'tinybird', TINYBIRD_HOST: double!.host, TINYBIRD_ADMIN_TOKEN: TOKENS.adminToken,
        TINYBIRD_APPEND_TOKEN: TOKENS.appendToken, TINYBIRD_WORKSPACE_ID: TOKENS.workspaceId,
        // Small, frequent claims, so both shippers compete for the same rows all along.
        OBSERVA_SHIPPER_BATCH: '5', OBSERVA_SHIPPER_POLL_MS: '20',
        OBSERVA_RATE_LIMIT_INGEST_TENANT: '0', OBSERVA_RATE_LIMIT_INGEST_IP: '0',
      });
      collectors.push(collector);
      return collector;
    };
    const [a, b] = await Promise.all([startOne(), startOne()]);
    const apiKey = /^OBSERVA_API_KEY=(.+)$/m.exec(a.output() + b.output())![1];

    const load = startSpanLoad({ targets: [a.url, b.url], apiKey, senders: 4 });
    await load.acknowledgedAtLeast(BATCHES);
    await load.stop();

    // Drained when the shared outbox is empty (either process may have shipped any row).
    await waitForEmptyOutbox(a.url, 30_000);

    const deliveries = spanCopies(await double.sql('SELECT span_id, count() AS n FROM events GROUP BY span_id'));
    const t = tally(load.batches, deliveries);
    const appends = double.requests.filter((r) => r.route === 'events' && r.status === 200);
    const rowsAppended = appends.reduce((sum, r) => sum + (r.successfulRows ?? 0), 0);
    const db = await openDatabase(database.url, dataDirs[0]);
    const wrongSummaries = await wrongTraceSummaries(db, load.batches).finally(() => db.destroy());
    const via = (c: CollectorProcess) => load.batches.filter((x) => x.target === c.url && x.outcome === 'acknowledged').length;
    console.log(`${formatTally('two-collectors', t)} refused_batches=${load.batches.length - via(a) - via(b)} acknowledged_batches: a=${via(a)} b=${via(b)} appends=${appends.length} rows_appended=${rowsAppended} wrong_trace_summaries=${wrongSummaries.length}`);

    expect(load.batches.filter((x) => x.outcome === 'failed')).toEqual([]);
    expect(unretryableRefusals(load.batches)).toEqual([]); // backpressure may ask to retry, nothing else
    expect(via(a)).toBeGreaterThan(0);
    expect(via(b)).toBeGreaterThan(0);
    expect(t.lost).toBe(0);
    expect(t.duplicated).toBe(0);
    expect(t.stored).toBe(t.acknowledged); // a refused batch stored nothing
    expect(rowsAppended).toBe(t.acknowledged); // each batch appended once, by one of the two processes
    expect(wrongSummaries).toEqual([]);
  }, 60_000);
});
