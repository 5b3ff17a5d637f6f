/**
 * Monthly event quotas as an ingesting client sees them, on a real collector: a batch crossing the
 * quota is answered 429 with Retry-After and a message, and nothing of it reaches the summaries or
 * the analytics store; a batch that fits is stored; a tenant already at its quota is refused before
 * the body is read (a body over the size limit gets 429, not 413).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { secondsUntil, usagePeriodOf } from './quota-period.ts';

const MAX_BODY_BYTES = 64 * 1024;
let collector: TestCollector;

beforeAll(async () => {
  collector = await startTestCollector({ env: { OBSERVA_MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });
});
afterAll(async () => {
  await collector?.close();
});

/** A tenant of its own (the admission cache is per tenant), with a project and an ingest key. */
async function tenantWithQuota(quota: number | null, usedThisMonth = 0) {
  const tenantId = randomUUID();
  const projectId = randomUUID();
  await collector.db('tenants').insert({ id: tenantId, slug: `q-${tenantId}`, name: 'Quota tenant', monthly_event_quota: quota });
  await collector.db('projects').insert({ id: projectId, tenant_id: tenantId, slug: 'p', name: 'P' });
  if (usedThisMonth > 0) await collector.db('usage_counters').insert({ tenant_id: tenantId, period_start: usagePeriodOf(new Date()).key, events: usedThisMonth, bytes: 0 });
  const { key } = await collector.apiKeys.create({ tenantId, projectId, name: 'ingest', scopes: ['ingest'], createdBy: null });
  return { tenantId, projectId, key };
}

function sendSpans(key: string, traceId: string, count: number) {
  const spans = Array.from({ length: count }, (_, i) => jsonSpan({ traceId, name: `op ${i}` }));
  return collector.request('/v1/traces', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(otlpJson(spans)) });
}

const eventsThisMonth = async (tenantId: string) => Number((await collector.db('usage_counters').where({ tenant_id: tenantId, period_start: usagePeriodOf(new Date()).key }).first('events'))?.events ?? 0);

function expectRetryAfterUntilNextMonth(response: Response) {
  const expected = secondsUntil(usagePeriodOf(new Date()).resetsAt, new Date());
  expect(Math.abs(Number(response.headers.get('retry-after')) - expected)).toBeLessThanOrEqual(5);
}

describe('monthly event quota on ingestion', () => {
  it('refuses a batch crossing the quota whole over OTLP, stores one that fits', async () => {
    const tenant = await tenantWithQuota(5);
    const first = randomTraceId();
    expect((await sendSpans(tenant.key, first, 3)).status).toBe(200);

    const crossing = randomTraceId();
    const refused = await sendSpans(tenant.key, crossing, 3);
    expect(refused.status).toBe(429);
    expectRetryAfterUntilNextMonth(refused);
    const resets = usagePeriodOf(new Date()).resetsAt.toISOString().replace('.000Z', 'Z');
    expect(await refused.json()).toEqual({
      code: 8, // RESOURCE_EXHAUSTED
      message: `monthly event quota of 5 events for tenant ${tenant.tenantId} has 2 events left (3 used), fewer than the 3 new events in this batch; nothing of it was stored; it resets on ${resets}`,
    });
    expect(await eventsThisMonth(tenant.tenantId)).toBe(3);
    expect(await collector.db('trace_summaries').where({ project_id: tenant.projectId, trace_id: crossing }).first()).toBeUndefined();

    const fits = randomTraceId();
    expect((await sendSpans(tenant.key, fits, 2)).status).toBe(200);
    expect(await eventsThisMonth(tenant.tenantId)).toBe(5);
    const usedUp = await sendSpans(tenant.key, randomTraceId(), 1);
    expect(usedUp.status).toBe(429);
    expect(((await usedUp.json()) as any).message).toContain(`is used up (5 used); it resets on ${resets}`);

    // The analytics store holds exactly the accepted spans: the refused batch never reached the outbox.
    await collector.shipped();
    const [{ spans }] = await collector.analytics.query('span_count', { tenantId: tenant.tenantId, projectId: tenant.projectId });
    expect(spans).toBe(5);
    expect(await collector.analytics.query('trace_spans', { tenantId: tenant.tenantId, projectId: tenant.projectId, traceId: crossing })).toEqual([]);
  });

  it('answers the events API with a JSON error, 429 and Retry-After', async () => {
    const tenant = await tenantWithQuota(1);
    const event = (traceId: string) => ({ trace_id: traceId, span_id: '00f067aa0ba902b7', name: 'op', start_time: new Date().toISOString() });
    const send = (events: object[]) => collector.request('/api/v1/events/ingest', {
      method: 'POST', headers: { authorization: `Bearer ${tenant.key}`, 'content-type': 'application/json' }, body: JSON.stringify(events),
    });
    const refused = await send([event(randomTraceId()), event(randomTraceId())]);
    expect(refused.status).toBe(429);
    expectRetryAfterUntilNextMonth(refused);
    expect(((await refused.json()) as any).error).toMatchObject({ status: 429, message: expect.stringContaining('monthly event quota of 1 events') });
    expect(await eventsThisMonth(tenant.tenantId)).toBe(0);
    expect((await send([event(randomTraceId())])).status).toBe(200);
  });

  it('refuses a tenant at its quota before reading the body', async () => {
    const oversized = JSON.stringify(otlpJson([jsonSpan({ name: 'x'.repeat(MAX_BODY_BYTES) })]));
    const post = (key: string) => collector.request('/v1/traces', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: oversized });
    // Under its quota, the body is read and found too large...
    expect((await post((await tenantWithQuota(10, 9)).key)).status).toBe(413);
    // ...at its quota, the answer comes before any body byte is read.
    const full = await tenantWithQuota(10, 10);
    const refused = await post(full.key);
    expect(refused.status).toBe(429);
    expectRetryAfterUntilNextMonth(refused);
    expect(((await refused.json()) as any).message).toMatch(new RegExp(`^monthly event quota of 10 events for tenant ${full.tenantId} is used up \\(10 used\\); it resets on \\d{4}-\\d{2}-01T00:00:00Z$`));
  });

  it('does not limit a tenant without a quota', async () => {
    const tenant = await tenantWithQuota(null, 1_000_000);
    expect((await sendSpans(tenant.key, randomTraceId(), 10)).status).toBe(200);
    expect(await eventsThisMonth(tenant.tenantId)).toBe(1_000_010);
  });
});
