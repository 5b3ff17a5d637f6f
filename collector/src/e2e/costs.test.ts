/**
 * Costs users can trust, end to end: computed from usage with cached tokens billed once, reported
 * costs kept, unknown models null (and named on the trace), estimates marked, and per-project price
 * overrides applied to events ingested after the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { jsonSpan, otlpJson, randomSpanId, randomTraceId } from '../testing/otlp-json.ts';

let collector: TestCollector;
let session: Record<string, string>;

beforeAll(async () => {
  collector = await startTestCollector();
  const login = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
  session = { authorization: `Bearer ${((await login.json()) as any).token}`, 'content-type': 'application/json' };
});
afterAll(async () => {
  await collector?.close();
});

async function sendChat(model: string, attributes: Record<string, string | number>) {
  const traceId = randomTraceId();
  const spans = [jsonSpan({ traceId, name: `chat ${model}`, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': model, ...attributes } })];
  const response = await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson(spans)) });
  expect(response.status).toBe(200);
  await collector.shipped();
  return (await (await collector.request(`/api/v1/traces/${traceId}`)).json()) as any;
}

describe('costs', () => {
  it('computes gpt-4o cost with cached input billed once at the cache rate', async () => {
    const { trace, spans } = await sendChat('gpt-4o-2024-08-06', { 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.cache_read.input_tokens': 800, 'gen_ai.usage.output_tokens': 100 });
    // 200 uncached x $2.50/M + 800 cached x $1.25/M + 100 output x $10/M
    expect(spans[0]).toMatchObject({ cost_source: 'computed', usage_source: 'reported' });
    expect(spans[0].cost_usd).toBeCloseTo(0.0005 + 0.001 + 0.001, 12);
    expect(trace.total_cost_usd).toBeCloseTo(0.0025, 12);
    expect(trace.unpriced_models).toEqual([]);
  });

  it('leaves an unknown model unpriced (null, not 0) and names it on the trace', async () => {
    const { trace, spans } = await sendChat('my-private-llm-v7', { 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5 });
    expect(spans[0]).toMatchObject({ cost_usd: null, cost_source: 'none', total_tokens: 15 });
    expect(trace.unpriced_models).toEqual(['my-private-llm-v7']);
  });

  it('estimates tokens for a call that reports none, and marks usage and cost as estimated', async () => {
    const messages = JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Summarise the plot of Hamlet in one sentence.' }] }]);
    const output = JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: 'A Danish prince avenges his father and everyone dies.' }] }]);
    const { spans } = await sendChat('gpt-4o-mini', { 'gen_ai.input.messages': messages, 'gen_ai.output.messages': output });
    expect(spans[0]).toMatchObject({ usage_source: 'estimated', cost_source: 'estimated' });
    expect(spans[0].input_tokens).toBeGreaterThan(10);
    expect(spans[0].input_tokens).toBeLessThan(30);
    expect(spans[0].output_tokens).toBeGreaterThan(5);
    expect(spans[0].cost_usd).toBeGreaterThan(0);
  });

  it('keeps a reported cost over a computed one', async () => {
    const traceId = randomTraceId();
    const event = { trace_id: traceId, span_id: randomSpanId(), name: 'manual', type: 'llm', model: 'gpt-4o', start_time: new Date().toISOString(), input_tokens: 1000, output_tokens: 1000, cost_usd: 0.42 };
    await collector.request('/api/v1/events/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([event]) });
    await collector.shipped();
    const { spans } = (await (await collector.request(`/api/v1/traces/${traceId}`)).json()) as any;
    expect(spans[0]).toMatchObject({ cost_usd: 0.42, cost_source: 'reported' });
  });

  it('applies per-project price overrides to events ingested after the change', async () => {
    const path = `/api/v1/projects/${collector.projectId}/model-prices`;
    expect(await (await fetch(`${collector.url}${path}`, { headers: session })).json()).toEqual({ overrides: [], updated_at: null });
    const bad = await fetch(`${collector.url}${path}`, { method: 'PUT', headers: session, body: JSON.stringify({ overrides: [{ match: 'x', prices: { input: -1, output: 1 } }] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/\[0\]\.prices\.input must be a non-negative number/);
    const byKey = await collector.request(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ overrides: [] }) });
    expect(byKey.status).toBe(403);

    const overrides = [{ match: 'my-private-llm-v7', prices: { input: 1, output: 2 } }];
    const put = await fetch(`${collector.url}${path}`, { method: 'PUT', headers: session, body: JSON.stringify({ overrides }) });
    expect(put.status).toBe(200);
    expect(((await put.json()) as any).overrides).toEqual(overrides);
    const { spans } = await sendChat('my-private-llm-v7', { 'gen_ai.usage.input_tokens': 1_000_000, 'gen_ai.usage.output_tokens': 500_000 });
    expect(spans[0]).toMatchObject({ cost_usd: 2, cost_source: 'computed' });
    expect(await (await collector.request(path)).json()).toMatchObject({ overrides }); // a read key may look
    const audit = await collector.db('audit_logs').where({ action: 'model_prices.update' });
    expect(audit).toHaveLength(1);
  });

  it('lists the built-in price table', async () => {
    const table = (await (await collector.request('/api/v1/model-prices')).json()) as any;
    expect(table.data.find((e: { id: string }) => e.id === 'gpt-4o')).toMatchObject({ provider: 'openai', prices: { input: 2.5, output: 10 } });
  });
});
