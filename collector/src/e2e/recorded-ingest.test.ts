/**
 * Trace-level truth over what real libraries send: every recorded payload is posted to a running
 * collector; each trace's totals then count each model call once (wrapper spans repeating their
 * provider calls' usage do not add to it), and summaries, spans and metrics agree.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../events/canonical-event.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

const FILES = ['vercel-ai', 'openllmetry', 'openinference', 'langfuse', 'otel-genai-current', 'otel-genai-events'];
let collector: TestCollector;
const traceIds = new Set<string>();

beforeAll(async () => {
  collector = await startTestCollector();
  for (const file of FILES) {
    const bodies = JSON.parse(readFileSync(new URL(`../mapping/recorded/${file}.json`, import.meta.url), 'utf8')) as any[];
    for (const body of bodies) {
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) traceIds.add(span.traceId.toLowerCase());
      const response = await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, file).toBe(200);
      expect(await response.json(), file).toEqual({});
    }
  }
  await collector.shipped();
});
afterAll(async () => {
  await collector?.close();
});

async function trace(traceId: string): Promise<{ trace: any; spans: CanonicalEvent[] }> {
  return (await (await collector.request(`/api/v1/traces/${traceId}`)).json()) as any;
}

describe('recorded traces through the collector', () => {
  it('never counts a usage nested inside another counted usage, and totals sum exactly the counted spans', async () => {
    for (const id of traceIds) {
      const { trace: summary, spans } = await trace(id);
      const byId = new Map(spans.map((s) => [s.span_id, s]));
      const counted = spans.filter((s) => s.counts_usage && (s.total_tokens > 0 || (s.cost_usd ?? 0) > 0));
      for (const span of counted) {
        for (let parent = byId.get(span.parent_span_id); parent; parent = byId.get(parent.parent_span_id)) {
          expect(counted.includes(parent), `${span.name} and its ancestor ${parent.name} both count`).toBe(false);
        }
      }
      expect(summary.total_tokens).toBe(counted.reduce((sum, s) => sum + s.total_tokens, 0));
      expect(summary.total_cost_usd).toBeCloseTo(counted.reduce((sum, s) => sum + (s.cost_usd ?? 0), 0), 12);
    }
  });

  it('Vercel generateText: two provider calls count, the outer call repeating them does not', async () => {
    const list = (await (await collector.request('/api/v1/traces?limit=100')).json()) as any;
    const summary = list.data.find((t: { name: string }) => t.name === 'ai.generateText');
    expect(summary).toMatchObject({ input_tokens: 280, output_tokens: 40, cache_read_tokens: 192, reasoning_tokens: 6, llm_call_count: 2, models: ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'] });
    const { spans } = await trace(summary.trace_id);
    const outer = spans.find((s) => s.name === 'ai.generateText')!;
    expect(outer).toMatchObject({ type: 'chain', counts_usage: false, input_tokens: 280 });
    const calls = spans.filter((s) => s.name === 'ai.generateText.doGenerate');
    expect(calls.map((s) => [s.counts_usage, s.cost_source])).toEqual([[true, 'computed'], [true, 'computed']]);
    // The wrapper is priced too (its cost is right for its usage), but only the calls add to the total.
    expect(outer.cost_usd).toBeCloseTo(calls[0].cost_usd! + calls[1].cost_usd!, 12);
    expect(summary.total_cost_usd).toBeCloseTo(calls[0].cost_usd! + calls[1].cost_usd!, 12);
  });

  it('metrics count the same calls as the trace summaries', async () => {
    const summaries = (await (await collector.request('/api/v1/traces?limit=500&from=2000-01-01T00:00:00Z')).json()) as any;
    const expected = summaries.data.reduce((sum: number, t: { total_tokens: number }) => sum + t.total_tokens, 0);
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const metrics = (await (await collector.request(`/api/v1/metrics/usage?from=${from}&to=${to}&granularity=day`)).json()) as any;
    const metered = metrics.data.reduce((sum: number, r: { total_tokens: number }) => sum + r.total_tokens, 0);
    const recent = summaries.data.filter((t: { start_time: string }) => t.start_time >= from).reduce((sum: number, t: { total_tokens: number }) => sum + t.total_tokens, 0);
    expect(expected).toBeGreaterThan(0);
    expect(metered).toBe(recent);
  });
});
