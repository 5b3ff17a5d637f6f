/**
 * End-to-end ingest: spans/s acknowledged by a collector process from 8 real OTLP exporters (2 load
 * processes × 4), on embedded stores and on a real Postgres, against the HTTP ceiling measured with the
 * same clients: a Koa handler that only reads the body. Then, at half of each collector's maximum, the
 * delay from acknowledgement to visible in the analytics store.
 */
import fs from 'node:fs';
import { waitForEmptyOutbox } from '../../collector/src/testing/collector-process.ts';
import { percentile, type Figure } from '../table.ts';
import { runLoad, throughput, type LoadPlan } from './run-load.ts';
import { startBenchCollector, startCeiling, type CollectorStores, type Target } from './targets.ts';
import { probeVisibility } from './visibility.ts';

const SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 20);
const WARMUP_SECONDS = 5;
const MAX_LOAD: LoadPlan = { processes: 2, exportersPerProcess: 4, seconds: SECONDS, spansPerSecond: 0 };

async function withTarget<T>(start: () => Promise<Target>, use: (target: Target) => Promise<T>): Promise<T> {
  const target = await start();
  try {
    return await use(target);
  } finally {
    await target.stop();
  }
}

/** CPU seconds (user + system) a process has used, from /proc: the server's cost whatever else runs. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
}

async function maximum(target: Target, label: string): Promise<number> {
  const cpuBefore = cpuSeconds(target.pid);
  const report = await runLoad(target.url, target.apiKey, MAX_LOAD);
  const cpuUsed = cpuSeconds(target.pid) - cpuBefore;
  if (report.failedSpans) console.warn(`${label}: ${report.failedSpans} spans failed (${report.firstError})`);
  const spansPerSecond = throughput(report, WARMUP_SECONDS);
  const acknowledged = report.acknowledgedPerSecond.reduce((a, b) => a + b, 0);
  console.log(`${label}: ${spansPerSecond.toFixed(0)} spans/s, server CPU ${((cpuUsed * 1e6) / acknowledged).toFixed(0)} us/span (${(cpuUsed / MAX_LOAD.seconds).toFixed(2)} cores); per second ${report.acknowledgedPerSecond.join(' ')}; export p50 ${percentile(report.exportMs, 50)} ms p95 ${percentile(report.exportMs, 95)} ms`);
  return spansPerSecond;
}

export interface IngestResults {
  figures: Figure[];
  /** Spans/s each collector setup sustained at most. */
  maxima: Partial<Record<CollectorStores, number>>;
}

export async function ingestThroughput(storesList: CollectorStores[]): Promise<IngestResults> {
  const ceiling = await withTarget(startCeiling, (t) => maximum(t, 'HTTP ceiling'));
  const figures: Figure[] = [];
  const maxima: IngestResults['maxima'] = {};
  for (const stores of storesList) {
    await withTarget(() => startBenchCollector(stores), async (collector) => {
      const max = (maxima[stores] = await maximum(collector, `collector (${stores})`));
      figures.push({
        name: `ingest, collector on ${stores} stores, 8 OTLP exporters (target >= 15 000)`, unit: 'spans/s', value: max,
        baselineName: 'HTTP ceiling (Koa, read body, 200)', baseline: ceiling, higherIsBetter: true,
      });
      // What the maximum left in the outbox first, so the probe measures half load, not that backlog.
      console.log(`collector (${stores}): outbox drained ${await waitForEmptyOutbox(collector.url, 300_000)} ms after the maximum run`);
      const [load, delays] = await Promise.all([
        runLoad(collector.url, collector.apiKey, { ...MAX_LOAD, spansPerSecond: max / 2 }),
        probeVisibility(collector, { probes: SECONDS * 2, everyMs: 500 }),
      ]);
      console.log(`collector (${stores}) at half load: ${throughput(load, 0).toFixed(0)} spans/s; ack to visible p50 ${percentile(delays, 50).toFixed(0)} ms p95 ${percentile(delays, 95).toFixed(0)} ms`);
      figures.push({
        name: `ack -> visible p95, ${stores} stores, at half max load (target < 2000)`, unit: 'ms', value: percentile(delays, 95),
        baselineName: 'ack -> visible p50', baseline: percentile(delays, 50), higherIsBetter: false,
      });
    });
  }
  return { figures, maxima };
}
