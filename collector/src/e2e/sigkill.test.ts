/**
 * The collector killed with SIGKILL in the middle of a load, repeatedly, and restarted on the same
 * database and data dir: once the outbox has drained, every span acknowledged before a kill is in the
 * analytics store (chDB) and in the trace summaries, none twice. The kill moments are random but
 * seeded (SIGKILL_SEED reproduces a run). On Postgres (TEST_DATABASE_URL) and on PGlite in the data dir.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, waitForEmptyOutbox, type CollectorProcess } from '../testing/collector-process.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { chdbSpanCopies, formatTally, startSpanLoad, tally, unretryableRefusals, wrongTraceSummaries, type SentBatch } from '../testing/span-load.ts';
import { openDatabase } from '../stores/control/database.ts';
import { seededRandom } from '../testing/seeded-random.ts';

const SEED = Number(process.env.SIGKILL_SEED ?? Date.now() % 100_000);


const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function killIfRunning(collector: CollectorProcess): void {
  if (collector.child.exitCode === null && collector.child.signalCode === null) collector.child.kill('SIGKILL');
}


async function killRepeatedly(label: string, databaseUrl: string | null, kills: number): Promise<void> {
  const random = seededRandom(SEED);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-sigkill-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = {
    OBSERVA_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', OBSERVA_ADMIN_PASSWORD: 'sigkill-password',
    // Rows leased by a killed process come due again after a second; the load is not throttled.
    OBSERVA_SHIPPER_LEASE_MS: '1000', OBSERVA_SHIPPER_POLL_MS: '100',
    OBSERVA_RATE_LIMIT_INGEST_TENANT: '0', OBSERVA_RATE_LIMIT_INGEST_IP: '0',
  };
  let apiKey = '';
  const batches: SentBatch[] = [];
  for (let kill = 0; kill < kills; kill++) {
    const collector = await startCollectorProcess(env);
    cleanups.push(() => killIfRunning(collector));
    apiKey ||= /^OBSERVA_API_KEY=(.+)$/m.exec(collector.output())![1];
    const load = startSpanLoad({ targets: [collector.url], apiKey, senders: 4 });
    // Killed after 10-40 acknowledged batches and 0-200 ms more: mid-transaction, mid-append, mid-answer.
    await load.acknowledgedAtLeast(10 + Math.floor(random() * 30));
    await new Promise((resolve) => setTimeout(resolve, random() * 200));
    const exited = once(collector.child, 'exit');
    collector.child.kill('SIGKILL');
    await load.stop();
    batches.push(...load.batches);
    expect(await exited).toEqual([null, 'SIGKILL']);
  }

  const last = await startCollectorProcess(env);
  cleanups.push(() => killIfRunning(last));
  await waitForEmptyOutbox(last.url, 30_000); // rows a killed process had leased come due after the 1 s lease
  expect(await last.stop('SIGTERM')).toBe(0);

  const db = await openDatabase(databaseUrl, dataDir);
  const wrongSummaries = await wrongTraceSummaries(db, batches).finally(() => db.destroy());
  const t = tally(batches, await chdbSpanCopies(path.join(dataDir, 'chdb')));
  const batchesWith = (outcome: string) => batches.filter((b) => b.outcome === outcome).length;
  console.log(`${formatTally(`sigkill (${label}, seed ${SEED}, ${kills} kills)`, t)} batches: acknowledged=${batchesWith('acknowledged')} unanswered=${batchesWith('failed')} refused=${batchesWith('refused')} wrong_trace_summaries=${wrongSummaries.length}`);

  expect(t.acknowledged).toBeGreaterThan(0);
  expect(unretryableRefusals(batches)).toEqual([]); // a kill leaves no answer, never a wrong one
  expect(t.lost).toBe(0);
  expect(t.duplicated).toBe(0);
  expect(wrongSummaries).toEqual([]);
}

describe('SIGKILL mid-load', () => {
  it.skipIf(!process.env.TEST_DATABASE_URL)('loses nothing acknowledged on Postgres (needs TEST_DATABASE_URL)', async () => {
    const database: TestDatabase = await createTestDatabase();
    cleanups.push(() => database.drop());
    await killRepeatedly('postgres', database.url, 3);
  }, 120_000);

  // Two kills: a PGlite start (and its recovery) takes several seconds on this machine.
  it('loses nothing acknowledged on PGlite in the data dir', async () => {
    await killRepeatedly('pglite', null, 2);
  }, 120_000);
});
