import { describe, expect, it } from 'vitest';
import { renderToString } from 'preact-render-to-string';
import { MetricsCards } from './metrics-cards.tsx';
import type { ErrorRow, LatencyRow, UsageRow } from './metrics-api.ts';

const cards = (html: string) => [...html.matchAll(/card-label">([^<]+)<\/div><div class="card-value">([^<]*)</g)].map((m) => `${m[1]}: ${m[2]}`);

describe('MetricsCards', () => {
  it('sums the buckets, rates errors over spans and weighs latency by requests', () => {
    const usage = [
      { bucket: 'a', requests: 3, input_tokens: 300, output_tokens: 60, total_tokens: 360, cost_usd: 0.06 },
      { bucket: 'b', requests: 2, input_tokens: 2000, output_tokens: 400, total_tokens: 2400, cost_usd: 1 },
    ] as UsageRow[];
    const errors = [{ bucket: 'a', spans: 6, errors: 0, error_rate: 0 }, { bucket: 'b', spans: 4, errors: 1, error_rate: 0.25 }] as ErrorRow[];
    const latency = [{ model: 'a', requests: 3, p50_ms: 1000, p95_ms: 1000 }, { model: 'b', requests: 2, p50_ms: 2000, p95_ms: 4000 }] as LatencyRow[];
    expect(cards(renderToString(<MetricsCards usage={usage} errors={errors} latency={latency} />))).toEqual([
      'Requests: 5', 'Tokens: 2,760', 'Cost: $1.06', 'Error rate: 10.0%', 'Latency p50: 1.40 s', 'Latency p95: 2.20 s',
    ]);
  });

  it('shows what is still loading, and no rate without spans', () => {
    expect(cards(renderToString(<MetricsCards usage={null} errors={[]} latency={[]} />))).toEqual([
      'Requests: …', 'Tokens: …', 'Cost: …', 'Error rate: –', 'Latency p50: –', 'Latency p95: –',
    ]);
  });
});
