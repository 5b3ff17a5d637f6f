/**
 * The long fuzz run: starts an in-process collector (PGlite + chDB in a temp dir, or a fresh database on
 * TEST_DATABASE_URL) and sends it `--cases` seeded cases. Exit code 1 on any failure; each failure
 * prints its seed and case index, and `--only <index>` replays exactly that case.
 *
 *   npx tsx collector/src/fuzz/long-run.ts --cases 100000 --seed 42
 *   npx tsx collector/src/fuzz/long-run.ts --seed 42 --only 1234
 */
import { parseArgs } from 'node:util';
import { startTestCollector } from '../testing/test-collector.ts';
import { FUZZ_ENV } from './cases.ts';
import { runFuzz } from './run-fuzz.ts';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '10000' }, seed: { type: 'string' }, only: { type: 'string' } } });
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const only = values.only === undefined ? undefined : Number(values.only);

console.log(`fuzz long run: seed=${seed} ${only === undefined ? `cases=${values.cases}` : `replaying case ${only}`}`);
const collector = await startTestCollector({ env: FUZZ_ENV });
try {
  const report = await runFuzz(
    { url: collector.url, apiKey: collector.apiKey },
    { seed, cases: only === undefined ? Number(values.cases) : 1, from: only ?? 0, chunk: only === undefined ? 500 : 1, log: console.log },
  );
  console.log(`sent=${report.sent} answered=${JSON.stringify(report.byStatus)} failures=${report.failures.length} throttled retries=${report.throttledRetries}`);
  console.log(`kinds: ${JSON.stringify(report.byKind)}`);
  console.log(`rss MB: before=${report.rssBeforeMb} after first chunk=${report.rssWarmMb} peak=${report.rssPeakMb} after=${report.rssAfterMb}`);
  for (const f of report.failures) console.log(`replay: npx tsx collector/src/fuzz/long-run.ts --seed ${f.seed} --only ${f.index}   # ${f.kind}: ${f.problem}`);
  // Everything accepted must reach the analytics store: a row it refuses would stall the outbox for good.
  const drained = await collector.shipped().then(
    () => true,
    (err: Error) => (console.log(`FAIL: ${err.message}: an accepted case left a row the analytics store refuses`), false),
  );
  process.exitCode = report.failures.length > 0 || !drained ? 1 : 0;
} finally {
  await collector.close();
}
