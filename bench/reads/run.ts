/**
 * Read latency at scale: the dashboard's queries over HTTP against a real collector process (real
 * Postgres, chDB in its data directory) holding 1 million traces (~10 million events over 30 days).
 *
 * Baseline: the same request, same collector, same moment, against a project holding a single trace
 * (a copy of the 200-span detail trace). The ratio is what the large project's size costs; the small
 * project's time is the floor every request pays (HTTP, API-key check, rate limit, JSON).
 * p50 and p95 over ROUNDS requests each, after WARMUP, interleaved with the baseline's.
 *
 * Alone: `npx tsx bench/reads/run.ts [--quick]` (`--quick`: 20 000 traces, for iterating). The
 * dataset is generated on the first run (minutes) and kept under .tmp/bench-reads and in the
 * `bench_reads` database; `dropdb bench_reads && rm -rf .tmp/bench-reads` removes it.
 */
import { fileURLToPath } from 'node:url';
import { startCollectorProcess } from '../../collector/src/testing/collector-process.ts';
import { printTable, type Figure } from '../table.ts';
import { TRACES } from './dataset-shape.ts';
import { ensureDataset, WINDOW_MS, type ReadsDataset } from './dataset.ts';
import { pairedLatency } from './latency.ts';

const MEASURE = { rounds: 50, warmup: 5, budgetMs: 60_000 };

interface ReadQuery {
  name: string;
  pathname: string;
  targetMs: number;
}

function queries(dataset: ReadsDataset): ReadQuery[] {
  const from = new Date(dataset.endMs - WINDOW_MS).toISOString();
  const to = new Date(dataset.endMs).toISOString();
  const dayBefore = new Date(dataset.endMs - 86_400_000).toISOString();
  const millions = (n: number) => `${Number((n / 1e6).toFixed(n < 1e6 ? 2 : 1))}M`;
  const traces = `${millions(dataset.traces)} traces`;
  const events = `${millions(dataset.events)} events`;
  return [
    { name: `trace list, no filter, ${traces}`, pathname: '/api/v1/traces', targetMs: 50 },
    { name: `trace list, model gpt-4o + user-50, ${traces}`, pathname: '/api/v1/traces?model=gpt-4o&user_id=user-50', targetMs: 50 },
    { name: `trace list, status=error (5%), ${traces}`, pathname: '/api/v1/traces?status=error', targetMs: 50 },
    { name: `trace list, tag=escalated (0.1%), ${traces}`, pathname: '/api/v1/traces?tag=escalated', targetMs: 50 },
    { name: `trace list, text "warranty" (2.5%), ${traces}`, pathname: '/api/v1/traces?q=warranty', targetMs: 50 },
    { name: `trace list, text without match, ${traces}`, pathname: '/api/v1/traces?q=no%20such%20words', targetMs: 50 },
    { name: `trace detail, 200 spans, ${traces}`, pathname: `/api/v1/traces/${dataset.detailTraceId}`, targetMs: 100 },
    { name: `metrics usage, 30 days by day, ${events}`, pathname: `/api/v1/metrics/usage?from=${from}&to=${to}`, targetMs: 300 },
    { name: `metrics usage, last 24 h by hour (dashboard default), ${events}`, pathname: `/api/v1/metrics/usage?from=${dayBefore}&to=${to}`, targetMs: 300 },
    { name: `metrics usage by model, 30 days, ${events}`, pathname: `/api/v1/metrics/usage?from=${from}&to=${to}&group_by=model`, targetMs: 300 },
  ];
}

export async function readQueries(options: { traces?: number } = {}): Promise<Figure[]> {
  const log = (line: string) => console.error(line);
  const dataset = await ensureDataset(options.traces ?? TRACES, log);
  const collector = await startCollectorProcess({
    DATABASE_URL: dataset.databaseUrl, OBSERVA_DATA_DIR: dataset.dataDir, OBSERVA_SECRET: dataset.secret,
    // The benchmark's request rate is not what the rate limits guard against.
    OBSERVA_RATE_LIMIT_API_TENANT: '1000000', OBSERVA_RATE_LIMIT_API_IP: '1000000',
  });
  const figures: Figure[] = [];
  try {
    const large = { url: collector.url, apiKey: dataset.large.apiKey };
    const small = { url: collector.url, apiKey: dataset.small.apiKey };
    for (const query of queries(dataset)) {
      const { value, baseline, rounds } = await pairedLatency(query.pathname, large, small, MEASURE);
      log(`reads: ${query.name}: p50 ${value.p50.toFixed(1)} ms, p95 ${value.p95.toFixed(1)} ms (1-trace project: ${baseline.p50.toFixed(1)} / ${baseline.p95.toFixed(1)} ms; ${rounds} rounds)`);
      for (const p of ['p50', 'p95'] as const) {
        figures.push({
          name: `${query.name}: ${p}${p === 'p95' ? ` (target < ${query.targetMs} ms)` : ''}`,
          unit: 'ms', value: value[p], baselineName: `same, 1-trace project: ${p}`, baseline: baseline[p], higherIsBetter: false,
        });
      }
    }
  } finally {
    await collector.stop();
  }
  return figures;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printTable(await readQueries(process.argv.includes('--quick') ? { traces: 20_000 } : {}));
}
