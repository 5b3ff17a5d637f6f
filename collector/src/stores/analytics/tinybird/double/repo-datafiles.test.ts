import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshScope } from '../../analytics-store.fixtures.ts';
import { rowToEvent } from '../../event-row.ts';
import { ADMIN, bodyOf, ndjsonOf, type PipeBody, postEvents, signReadJwt, someEvents, startDouble } from './double.fixtures.ts';
import type { TinybirdDouble } from './tinybird-double.ts';

// The repository's own datafiles (schemas/tinybird/), as `tb deploy` would put them in a workspace.
let double: TinybirdDouble;
const scope = freshScope();
const events = someEvents(3, scope);
beforeAll(async () => {
  double = await startDouble();
  await postEvents(double, ndjsonOf(events));
});
afterAll(() => double.close());

const read = async (pipe: string, params: Record<string, string>, token: string) =>
  fetch(`${double.host}/v0/pipes/${pipe}.json?${new URLSearchParams(params)}`, { headers: { Authorization: `Bearer ${token}` } });

describe('the double with schemas/tinybird', () => {
  it('deploys every datasource, each appendable and with its quarantine table', async () => {
    const tables = (await double.sql('SHOW TABLES')).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['events', 'events_quarantine', 'usage_hourly', 'usage_hourly_quarantine']));
  });

  it('serves trace_spans to a tenant JWT whose fixed_params name the tenant and project', async () => {
    const jwt = await signReadJwt({ pipe: 'trace_spans', fixedParams: { tenant_id: scope.tenantId, project_id: scope.projectId } });
    const res = await read('trace_spans', { tenant_id: 'someone-else', trace_id: events[0].trace_id }, jwt);
    expect(res.status).toBe(200);
    const body = await bodyOf<PipeBody>(res);
    expect(body.rows).toBe(3);
    expect(body.data.map(rowToEvent).map((e) => e.span_id).sort()).toEqual(events.map((e) => e.span_id).sort());
  });

  it('serves span_count to the admin token, and 400 without its required params', async () => {
    const res = await read('span_count', { tenant_id: scope.tenantId, project_id: scope.projectId }, ADMIN);
    expect((await bodyOf<PipeBody>(res)).data).toEqual([{ spans: 3 }]);
    expect((await read('span_count', { tenant_id: scope.tenantId }, ADMIN)).status).toBe(400);
  });

  it('runs materialized pipes as views: usage_hourly fills on ingest', async () => {
    const recent = freshScope();
    // Recent and counted: the rollup's TTL runs from the span's hour, and it sums counts_usage spans only.
    const now = new Date().toISOString();
    const calls = someEvents(2, recent).map((e) => ({ ...e, start_time: now, end_time: now, counts_usage: true }));
    await postEvents(double, ndjsonOf(calls));
    const rows = await double.sql(
      'SELECT countMerge(requests) AS requests FROM usage_hourly WHERE tenant_id = {t:String}',
      { t: recent.tenantId },
    );
    expect(rows).toEqual([{ requests: 2 }]);
  });
});
