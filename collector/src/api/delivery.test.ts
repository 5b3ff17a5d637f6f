/** What a tenant sees of delivery to the analytics store: dead letters with reasons, re-queueing, quarantine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../events/canonical-event.ts';
import { AnalyticsAppendError, type AppendReport } from '../stores/analytics/analytics-store.ts';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';

/** Refuses batches holding a span named "poison" until fixed; quarantines one row of batches holding "odd". */
class PickyStore extends InMemoryAnalyticsStore {
  fixed = false;
  override async append(events: CanonicalEvent[]): Promise<void | AppendReport> {
    if (!this.fixed && events.some((e) => e.name === 'poison')) throw new AnalyticsAppendError('400: invalid JSON in column attributes', false);
    await super.append(events);
    return { quarantinedRows: events.some((e) => e.name === 'odd') ? 1 : 0 };
  }
}

const store = new PickyStore();
let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector({ analytics: store });
});
afterAll(async () => {
  await collector?.close();
});

const send = (name: string) =>
  collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson([jsonSpan({ name })])) });

async function delivery() {
  const deadline = Date.now() + 5000;
  for (;;) {
    const body = (await (await collector.request('/api/v1/analytics/delivery')).json()) as any;
    if (body.backlog.rows === 0 || Date.now() > deadline) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('GET /api/v1/analytics/delivery', () => {
  it('shows a dead-lettered batch with its reason, and re-queues it for an admin once fixed', async () => {
    expect((await send('poison')).status).toBe(200); // acknowledged: the outbox holds it
    await send('odd');
    const body = await delivery();
    expect(body).toMatchObject({ backend: 'memory', backlog: { rows: 0 }, quarantined_rows: 1, dead_lettered_batches: 1 });
    expect(body.dead_letters).toHaveLength(1);
    expect(body.dead_letters[0]).toMatchObject({ event_count: 1, reason: '400: invalid JSON in column attributes' });

    const id = body.dead_letters[0].id;
    expect((await collector.request(`/api/v1/analytics/dead-letters/${id}/retry`, { method: 'POST' })).status).toBe(403); // keys cannot
    const login = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
    const session = { authorization: `Bearer ${((await login.json()) as any).token}` };
    store.fixed = true;
    const retry = await fetch(`${collector.url}/api/v1/analytics/dead-letters/${id}/retry`, { method: 'POST', headers: session });
    expect(retry.status).toBe(202);
    collector.shipper.poke();
    await collector.shipped();
    expect((await delivery()).dead_letters).toEqual([]);
    expect((await store.query('span_count', { tenantId: collector.tenantId, projectId: collector.projectId }))[0].spans).toBe(2);
    expect((await fetch(`${collector.url}/api/v1/analytics/dead-letters/${id}/retry`, { method: 'POST', headers: session })).status).toBe(404);
  });

  it('refuses to re-queue a batch that predates a deletion in the project (its spans would come back), not a later one', async () => {
    store.fixed = false;
    const login = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
    const session = { authorization: `Bearer ${((await login.json()) as any).token}` };
    const traceId = randomTraceId();
    await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson([jsonSpan({ traceId, name: 'poison' })])) });
    const older = (await delivery()).dead_letters[0].id;
    const deleted = await fetch(`${collector.url}/api/v1/traces/${traceId}?project_id=${collector.projectId}`, { method: 'DELETE', headers: session });
    expect(deleted.status).toBe(202);

    const refused = await fetch(`${collector.url}/api/v1/analytics/dead-letters/${older}/retry`, { method: 'POST', headers: session });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as any).error.message).toMatch(/predates a deletion in this project/);
    expect((await delivery()).dead_letters.map((d: any) => d.id)).toContain(older);

    await send('poison');
    const newer = (await delivery()).dead_letters[0].id;
    expect(newer).not.toBe(older);
    expect((await fetch(`${collector.url}/api/v1/analytics/dead-letters/${newer}/retry`, { method: 'POST', headers: session })).status).toBe(202);
  });
});
