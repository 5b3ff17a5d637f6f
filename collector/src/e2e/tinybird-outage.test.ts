/**
 * A collector with OBSERVA_ANALYTICS=tinybird against the Tinybird double (chDB behind Tinybird's
 * wire behaviour): 10 000 spans acknowledged while the Events API answers 503 all arrive exactly once
 * after it recovers, and a 429 makes the shipper wait as long as Retry-After says; reads go through the
 * pipes, and the log joiner completes a span stored there.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startTinybirdDouble, type TinybirdDouble } from '../stores/analytics/tinybird/double/tinybird-double.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { jsonSpan, otlpJson, randomSpanId, randomTraceId } from '../testing/otlp-json.ts';

const TOKENS = { adminToken: 'admin-token-0123456789', appendToken: 'append-token-0123456789', workspaceId: 'ws-test' };
let double: TinybirdDouble;
let collector: TestCollector;

beforeAll(async () => {
  double = await startTinybirdDouble({ ...TOKENS, rateLimitPerSecond: 10_000 });
  collector = await startTestCollector({
    env: {
      OBSERVA_ANALYTICS: 'tinybird', TINYBIRD_HOST: double.host, TINYBIRD_ADMIN_TOKEN: TOKENS.adminToken,
      TINYBIRD_APPEND_TOKEN: TOKENS.appendToken, TINYBIRD_WORKSPACE_ID: TOKENS.workspaceId,
      OBSERVA_SHIPPER_MAX_BACKOFF_MS: '200', OBSERVA_SHIPPER_BATCH: '20',
    },
  });
}, 60_000);
afterAll(async () => {
  await collector?.close();
  await double?.close();
});

async function sendSpans(total: number, perRequest: number): Promise<string[]> {
  const traceIds: string[] = [];
  for (let sent = 0; sent < total; sent += perRequest) {
    const traceId = randomTraceId();
    traceIds.push(traceId);
    const spans = Array.from({ length: perRequest }, (_, i) => jsonSpan({ traceId, name: `s${i}`, attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1 } }));
    const response = await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson(spans)) });
    expect(response.status).toBe(200);
  }
  return traceIds;
}

const spanCount = async () => (await collector.analytics.query('span_count', { tenantId: collector.tenantId, projectId: collector.projectId }))[0].spans;

describe('Tinybird outages', () => {
  it('acknowledges 10 000 spans during a 503 outage and delivers each exactly once after recovery', async () => {
    double.faults.mode = '503';
    onTestFinished(() => double.faults.reset());
    await sendSpans(10_000, 500);
    const backlog = await collector.shipper.backlog();
    expect(backlog.events).toBe(10_000); // all acknowledged, all waiting in the outbox
    const duringOutage = double.requests.filter((r) => r.route === 'events' && r.status !== 0); // answered ones
    expect(duringOutage.length).toBeGreaterThan(0); // the shipper kept trying
    expect(duringOutage.filter((r) => r.answeredBy !== 'fault')).toEqual([]); // and nothing got in

    double.faults.mode = 'ok';
    collector.shipper.poke();
    await collector.shipped();
    expect(await spanCount()).toBe(10_000);
    // Exactly once even in the raw table: the outage answered before storing anything.
    const [raw] = await double.sql(`SELECT count() AS n FROM events WHERE tenant_id = '${collector.tenantId}'`);
    expect(Number(raw.n)).toBe(10_000);
  }, 120_000);

  it('waits as long as Retry-After says after a 429', async () => {
    const before = await spanCount();
    const firstRequest = double.requests.length;
    double.faults.failNext(1, 429, { route: 'events', retryAfterSeconds: 2 });
    await sendSpans(10, 10);
    await collector.shipped();
    const appends = double.requests.slice(firstRequest).filter((r) => r.route === 'events');
    expect(appends.map((r) => r.status)).toEqual([429, 200]);
    expect(appends[1].at - appends[0].at).toBeGreaterThanOrEqual(2000);
    expect(await spanCount()).toBe(before + 10);
  }, 30_000);

  it('serves trace detail and metrics from Tinybird through the API', async () => {
    const [traceId] = await sendSpans(3, 3);
    await collector.shipped();
    const detail = (await (await collector.request(`/api/v1/traces/${traceId}`)).json()) as any;
    expect(detail.spans.map((s: { name: string }) => s.name).sort()).toEqual(['s0', 's1', 's2']);
    expect(detail.spans[0]).toMatchObject({ tenant_id: collector.tenantId, model: 'gpt-4o-mini', input_tokens: 1 });
    const usage = (await (await collector.request('/api/v1/metrics/usage?granularity=day&group_by=model')).json()) as any;
    expect(usage.data.reduce((sum: number, r: { requests: number }) => sum + r.requests, 0)).toBe(await spanCount());

    // Tinybird down for reads: a retryable 503, not an internal error.
    double.faults.failNext(1, 503, { route: 'pipes' });
    const down = await collector.request(`/api/v1/traces/${traceId}`);
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(((await down.json()) as any).error.message).toMatch(/analytics store is unavailable/);
  });

  it('completes a span stored in Tinybird with its GenAI log events, read back through the pipes', async () => {
    const [traceId, spanId] = [randomTraceId(), randomSpanId()];
    const span = jsonSpan({ traceId, spanId, name: 'chat gpt-4o-mini', attributes: { 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 9 } });
    const post = (path: string, body: object) => collector.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post('/v1/traces', otlpJson([span]))).status).toBe(200);
    await collector.shipped();
    const content = (text: string) => ({ kvlistValue: { values: [{ key: 'content', value: { stringValue: text } }] } });
    const records = [['gen_ai.user.message', content('Ping?')], ['gen_ai.choice', { kvlistValue: { values: [{ key: 'message', value: content('Pong.') }] } }]]
      .map(([eventName, body], i) => ({ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n + BigInt(i)), eventName, traceId, spanId, body }));
    expect((await post('/v1/logs', { resourceLogs: [{ scopeLogs: [{ logRecords: records }] }] })).status).toBe(200);

    const deadline = Date.now() + 15_000;
    let chat: any;
    while (!chat?.output && Date.now() < deadline) {
      await collector.shipped();
      chat = ((await (await collector.request(`/api/v1/traces/${traceId}`)).json()) as any).spans[0];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(chat.input).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Ping?' }] }]);
    expect(chat.output[0]).toMatchObject({ role: 'assistant', parts: [{ type: 'text', content: 'Pong.' }] });
    // One row per span once Tinybird's ReplacingMergeTree has merged: the completed version wins.
    const rows = await double.sql(`SELECT input FROM events FINAL WHERE span_id = '${spanId}'`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows[0].input)).toContain('Ping?');
  });
});
