/** Scores (user feedback, evaluations): stored per project, updated by id, returned with the trace. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { jsonSpan, otlpJson, randomSpanId, randomTraceId } from '../testing/otlp-json.ts';

let collector: TestCollector;
let otherKey: string;
const traceId = randomTraceId();

beforeAll(async () => {
  collector = await startTestCollector();
  const tenantId = randomUUID();
  const projectId = randomUUID();
  await collector.db('tenants').insert({ id: tenantId, slug: 'other', name: 'Other' });
  await collector.db('projects').insert({ id: projectId, tenant_id: tenantId, slug: 'p', name: 'Other' });
  otherKey = (await collector.apiKeys.create({ tenantId, projectId, name: 'o', scopes: ['ingest', 'read'], createdBy: null })).key;
  await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson([jsonSpan({ traceId, name: 'answer' })])) });
});
afterAll(async () => {
  await collector?.close();
});

function post(body: unknown, key = collector.apiKey) {
  return collector.request('/api/v1/scores', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('POST /api/v1/scores', () => {
  it('stores numeric, boolean and categorical scores and returns them with the trace', async () => {
    const spanId = randomSpanId();
    const created = await post({ trace_id: traceId.toUpperCase(), span_id: spanId, name: 'helpfulness', value: 0.8, comment: 'good', source: 'sdk' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ trace_id: traceId, span_id: spanId, name: 'helpfulness', data_type: 'numeric', value: 0.8, comment: 'good', source: 'sdk' });
    await post({ trace_id: traceId, name: 'thumbs_up', value: true });
    await post({ trace_id: traceId, name: 'category', value: 'off-topic' });
    const detail = (await (await collector.request(`/api/v1/traces/${traceId}`)).json()) as any;
    expect(detail.scores.map((s: any) => [s.name, s.data_type, s.value])).toEqual([
      ['helpfulness', 'numeric', 0.8],
      ['thumbs_up', 'boolean', true],
      ['category', 'categorical', 'off-topic'],
    ]);
  });

  it('updates a score sent again with the same id, and keeps other projects out of it (ids are per project)', async () => {
    const id = randomUUID();
    expect((await post({ id, trace_id: traceId, name: 'vote', value: true })).status).toBe(201);
    const again = await post({ id, trace_id: traceId, name: 'vote', value: false, comment: 'changed my mind' });
    expect(again.status).toBe(200);
    const list = (await (await collector.request(`/api/v1/scores?trace_id=${traceId}&name=vote`)).json()) as any;
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({ id, value: false, comment: 'changed my mind' });
    // Another project using the same id creates its own score and leaves this one alone.
    expect((await post({ id, trace_id: traceId, name: 'vote', value: true }, otherKey)).status).toBe(201);
    const mine = (await (await collector.request(`/api/v1/scores?trace_id=${traceId}&name=vote`)).json()) as any;
    expect(mine.data[0]).toMatchObject({ id, value: false });
    await collector.db('scores').where({ id }).whereNot({ project_id: collector.projectId }).delete();
    const foreign = (await (await collector.request(`/api/v1/scores?trace_id=${traceId}`, { headers: { authorization: `Bearer ${otherKey}` } })).json()) as any;
    expect(foreign.data).toEqual([]);
  });

  it('says which field is wrong', async () => {
    const message = async (body: unknown) => ((await (await post(body)).json()) as any).error.message;
    expect(await message({ trace_id: 'xyz', name: 'n', value: 1 })).toMatch(/trace_id must be 32 hex/);
    expect(await message({ trace_id: traceId, span_id: 'nope', name: 'n', value: 1 })).toMatch(/span_id must be 16 hex/);
    expect(await message({ trace_id: traceId, name: '', value: 1 })).toMatch(/name must be a non-empty string/);
    expect(await message({ trace_id: traceId, name: 'n', value: Number.NaN })).toMatch(/value must be a finite number/);
    expect(await message({ trace_id: traceId, name: 'n', value: { a: 1 } })).toMatch(/value must be/);
    expect(await message({ trace_id: traceId, name: 'n', value: 1, colour: 'red' })).toMatch(/unknown field "colour"/);
    expect(await message({ id: 'not-a-uuid', trace_id: traceId, name: 'n', value: 1 })).toMatch(/id must be a UUID/);
  });
});
