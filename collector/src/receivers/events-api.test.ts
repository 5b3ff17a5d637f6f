/** The native events API: JSON array or NDJSON of canonical events, validated one by one. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { randomSpanId, randomTraceId } from '../testing/otlp-json.ts';

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector();
  await collector.db('projects').where({ id: collector.projectId }).update({ retention_days: 7 });
});
afterAll(async () => {
  await collector?.close();
});

function post(body: string, contentType = 'application/json') {
  return collector.request('/api/v1/events/ingest', { method: 'POST', headers: { 'content-type': contentType }, body });
}

const event = (traceId: string, overrides: Record<string, unknown> = {}) => ({
  trace_id: traceId,
  span_id: randomSpanId(),
  name: 'manual call',
  type: 'llm',
  start_time: '2026-03-01T10:00:00.123456789+02:00',
  end_time: '2026-03-01T10:00:01.5+02:00',
  model: 'claude-sonnet-4',
  provider: 'anthropic',
  input_tokens: 40,
  output_tokens: 8,
  session_id: 'native-session',
  input: [{ role: 'user', parts: [{ type: 'text', content: 'hi there' }] }],
  ...overrides,
});

describe('POST /api/v1/events/ingest', () => {
  it('stores a JSON array, completing defaults, normalising times to UTC and stamping the key\'s tenant and the project\'s retention', async () => {
    const traceId = randomTraceId();
    const response = await post(JSON.stringify([event(traceId, { tenant_id: 'spoofed', project_id: 'spoofed', retention_days: 3650 })]));
    expect(response.status).toBe(200);
    expect(await response.json() as any).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    await collector.shipped();
    const detail = await (await collector.request(`/api/v1/traces/${traceId}`)).json() as any;
    expect(detail.trace).toMatchObject({ name: 'manual call', total_tokens: 48, session_id: 'native-session', input_preview: 'hi there' });
    expect(detail.spans[0]).toMatchObject({
      tenant_id: collector.tenantId,
      project_id: collector.projectId,
      retention_days: 7, // the project's, whatever the client said
      start_time: '2026-03-01T08:00:00.123456789Z',
      end_time: '2026-03-01T08:00:01.500000000Z',
      duration_ms: 1376.543211,
      total_tokens: 48,
      usage_source: 'reported',
      status: 'unset',
    });
  });

  it('reports invalid events by index and reason in NDJSON while storing the valid ones', async () => {
    const traceId = randomTraceId();
    const lines = [
      JSON.stringify(event(traceId)),
      '{not json',
      JSON.stringify(event(traceId, { span_id: 'xyz' })),
      JSON.stringify(event(traceId, { input_tokens: -5 })),
      JSON.stringify(event(traceId, { surprise: true })),
      JSON.stringify(event(traceId, { type: 'chatbot' })),
      JSON.stringify(event(traceId)),
    ].join('\n');
    const response = await post(lines, 'application/x-ndjson');
    expect(response.status).toBe(200);
    const body = await response.json() as any;
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3, 4, 5]);
    expect(body.rejected[0].reason).toMatch(/line 2 is not valid JSON/);
    expect(body.rejected[1].reason).toMatch(/event 2: span_id must match pattern/);
    expect(body.rejected[2].reason).toMatch(/event 3: input_tokens must be >= 0/);
    expect(body.rejected[3].reason).toMatch(/must NOT have additional properties "surprise"/);
    expect(body.rejected[4].reason).toMatch(/type must be equal to one of the allowed values/);
    await collector.shipped();
    const detail = await (await collector.request(`/api/v1/traces/${traceId}`)).json() as any;
    expect(detail.spans).toHaveLength(2);
  });

  it('answers 400 when every event is invalid, and counts re-sent events once', async () => {
    const invalid = await post(JSON.stringify([{ name: 'no ids' }]));
    expect(invalid.status).toBe(400);
    expect((await invalid.json() as any).rejected[0].reason).toMatch(/must have required property 'trace_id'/);

    const traceId = randomTraceId();
    const payload = JSON.stringify([event(traceId, { span_id: 'aaaaaaaaaaaaaaaa' })]);
    await post(payload);
    expect(await (await post(payload)).json() as any).toMatchObject({ accepted: 1, duplicates: 1 });
    const summary = (await (await collector.request(`/api/v1/traces/${traceId}`)).json() as any).trace;
    expect(summary.span_count).toBe(1);
    expect(summary.total_tokens).toBe(48);
  });
});
