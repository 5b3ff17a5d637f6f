/**
 * Collector memory under sustained load: RSS of a collector process on embedded stores (as `npm start`
 * runs it) sampled every second while 8 exporters send at 80% of its measured maximum for
 * BENCH_MEMORY_SECONDS (default 300). It must level off: the last minute's mean against the second
 * minute's, and the peak against the idle process.
 */
import fs from 'node:fs';
import type { Figure } from '../table.ts';
import { runLoad } from './run-load.ts';
import { startBenchCollector } from './targets.ts';

const SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 300);

/** Resident MB of a process: all of it, or only its anonymous memory (not the mapped chDB library code). */
function rssMb(pid: number, field: 'VmRSS' | 'RssAnon' = 'VmRSS'): number {
  const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1];
  return Number(kb) / 1024;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export async function collectorMemory(maxSpansPerSecond: number): Promise<Figure[]> {
  const collector = await startBenchCollector('embedded');
  const samples: number[] = [];
  const anonymous: number[] = [];
  // What the collector itself reports (GET /healthz): its JS memory (heap + buffers) and outbox backlog.
  const jsHeap: number[] = [];
  const outboxRows: number[] = [];
  const sampleHealth = async () => {
    const { ingestion } = (await (await fetch(`${collector.url}/healthz`)).json()) as { ingestion: { memory: { bytes: number }; outbox: { rows: number } } };
    jsHeap.push(ingestion.memory.bytes / 1024 / 1024);
    outboxRows.push(ingestion.outbox.rows);
  };
  try {
    const idle = rssMb(collector.pid);
    const sampler = setInterval(() => {
      samples.push(rssMb(collector.pid));
      anonymous.push(rssMb(collector.pid, 'RssAnon'));
      void sampleHealth().catch(() => {});
    }, 1000);
    const load = await runLoad(collector.url, collector.apiKey, { processes: 2, exportersPerProcess: 4, seconds: SECONDS, spansPerSecond: maxSpansPerSecond * 0.8 }).finally(() => clearInterval(sampler));
    if (load.failedSpans) console.warn(`memory run: ${load.failedSpans} spans failed (${load.firstError})`);
    const minute = (from: number) => samples.slice(from, from + 60);
    const lastMinute = minute(Math.max(0, samples.length - 60));
    const secondMinute = minute(Math.min(60, Math.max(0, samples.length - 60)));
    const every10s = (values: number[]) => values.filter((_, i) => i % 10 === 0).map((v) => v.toFixed(0)).join(' ');
    console.log(`collector RSS (MB) every 10 s at ${(maxSpansPerSecond * 0.8).toFixed(0)} spans/s: ${every10s(samples)}; anonymous: ${every10s(anonymous)}; JS heap + buffers: ${every10s(jsHeap)}; outbox rows: ${every10s(outboxRows)}`);
    return [
      { name: `collector peak RSS, ${SECONDS} s at 80% of max load (target < 600)`, unit: 'MB', value: Math.max(...samples), baselineName: 'idle collector after start', baseline: idle, higherIsBetter: false },
      { name: 'collector RSS, last minute mean (levels off: ratio ~1)', unit: 'MB', value: mean(lastMinute), baselineName: 'second minute mean', baseline: mean(secondMinute), higherIsBetter: false },
    ];
  } finally {
    await collector.stop();
  }
}
