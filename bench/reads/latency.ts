/**
 * Request latency of one GET against two projects of the same collector, interleaved request by
 * request (which goes first alternates), so both see the same machine load; one request in flight,
 * timed from send to the last body byte, as a dashboard user waits for it. A query that takes
 * seconds gets one warm-up round and stops measuring at the time budget (after at least MIN_ROUNDS).
 */
import { percentile } from '../table.ts';

export interface Target {
  url: string;
  apiKey: string;
}

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface PairedLatency {
  value: Percentiles;
  baseline: Percentiles;
  rounds: number;
}

const MIN_ROUNDS = 5;
const SLOW_ROUND_MS = 1000;

const percentiles = (samples: number[]): Percentiles => ({ p50: percentile(samples, 50), p95: percentile(samples, 95) });

async function timeOne(target: Target, pathname: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${target.url}${pathname}`, { headers: { authorization: `Bearer ${target.apiKey}` } });
  const body = await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${pathname} answered ${response.status}: ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  return ms;
}

export async function pairedLatency(
  pathname: string, value: Target, baseline: Target, options: { rounds: number; warmup: number; budgetMs: number },
): Promise<PairedLatency> {
  const samples = { value: [] as number[], baseline: [] as number[] };
  let warmup = options.warmup;
  const deadline = Date.now() + options.budgetMs;
  for (let round = 0; round < warmup + options.rounds; round++) {
    const order = round % 2 === 0 ? (['value', 'baseline'] as const) : (['baseline', 'value'] as const);
    const started = performance.now();
    for (const which of order) {
      const ms = await timeOne(which === 'value' ? value : baseline, pathname);
      if (round >= warmup) samples[which].push(ms);
    }
    if (round === 0 && performance.now() - started > SLOW_ROUND_MS) warmup = 1;
    if (samples.value.length >= MIN_ROUNDS && Date.now() > deadline) break;
  }
  return { value: percentiles(samples.value), baseline: percentiles(samples.baseline), rounds: samples.value.length };
}
