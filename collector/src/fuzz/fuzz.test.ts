/**
 * The CI share of the hostile-input fuzz suite (long runs: long-run.ts). A real in-process collector
 * receives seeded, reproducible cases on /v1/traces (protobuf and JSON) and /api/v1/events/ingest
 * (JSON and NDJSON); every case must be answered 200/400/413 in bounded time, /healthz must keep
 * answering, and memory must stay bounded. FUZZ_SEED=<n> runs another seed. The 1M-attribute case
 * runs at 200k here (the mapper needs ~15 s of CPU for a million); the long run sends the full size.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { FUZZ_ENV } from './cases.ts';
import { runFuzz } from './run-fuzz.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 8);
const CASES = 300;
/**
 * Resident memory (this process holds the collector and chDB): the peak may hold a few 32 MB bodies and
 * their decoded form; after the first chunk (every kind once) it must not keep growing with the cases.
 */
const RSS_PEAK_OVER_START_MB = 600;
const RSS_GROWTH_AFTER_WARMUP_MB = 300;

let collector: TestCollector;

beforeAll(async () => {
  collector = await startTestCollector({ env: FUZZ_ENV });
});
afterAll(async () => {
  await collector?.close();
});

it(`answers ${CASES} hostile requests (seed ${SEED}) with 200/400/413, stays healthy and bounded`, async () => {
  const report = await runFuzz({ url: collector.url, apiKey: collector.apiKey }, { seed: SEED, cases: CASES, log: console.log, scale: { manyAttributes: 200_000 } });
  await collector.shipped(); // nothing accepted may block the outbox (a poison row would stall it here)
  console.log(`fuzz seed=${SEED}: sent=${report.sent} answered=${JSON.stringify(report.byStatus)} failures=${report.failures.length} throttled retries=${report.throttledRetries}`);
  console.log(`fuzz kinds: ${JSON.stringify(report.byKind)}`);
  console.log(`fuzz rss MB: before=${report.rssBeforeMb} after first chunk=${report.rssWarmMb} peak=${report.rssPeakMb} after=${report.rssAfterMb}`);
  expect(report.failures).toEqual([]);
  expect(report.sent).toBe(CASES);
  expect(report.rssPeakMb - report.rssBeforeMb).toBeLessThan(RSS_PEAK_OVER_START_MB);
  expect(report.rssAfterMb - report.rssWarmMb).toBeLessThan(RSS_GROWTH_AFTER_WARMUP_MB);
}, 180_000);
