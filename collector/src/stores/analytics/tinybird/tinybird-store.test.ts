/**
 * TinybirdAnalyticsStore against local servers standing in for two Tinybird workspaces: per-tenant
 * routing of appends, batching on the wire, pipe reads with a tenant-fixed JWT, and lifecycle.
 * (Status classification: append-outcome.test.ts; the end-to-end path through the double: tinybird-double-e2e.test.ts.)
 */
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../../../testing/scripted-http-server.ts';
import { AnalyticsAppendError } from '../analytics-store.ts';
import { freshScope, fullEvent, spanId, traceId } from '../analytics-store.fixtures.ts';
import { eventToRow } from '../event-row.ts';
import { TinybirdQueryError } from './tinybird-errors.ts';
import { TinybirdAnalyticsStore, type TinybirdStoreOptions } from './tinybird-store.ts';
import type { TinybirdTarget } from './tinybird-target.ts';

let shared: ScriptedServer; // the deployment's default workspace
let own: ScriptedServer; // a tenant's own workspace
const ownTenant = freshScope();
const defaultTarget = (): TinybirdTarget => ({ host: shared.url, appendToken: 'default-append', adminToken: 'default-admin', workspaceId: 'ws-shared' });
const ownTarget = (): TinybirdTarget => ({ host: own.url, appendToken: 'own-append', adminToken: 'own-admin', workspaceId: 'ws-own' });

beforeAll(async () => {
  shared = await startScriptedServer();
  own = await startScriptedServer();
});
afterAll(async () => {
  await shared?.close();
  await own?.close();
});

async function started(options: Partial<TinybirdStoreOptions> = {}) {
  const store = new TinybirdAnalyticsStore({
    targets: { forTenant: async (tenantId) => (tenantId === ownTenant.tenantId ? ownTarget() : defaultTarget()) },
    batchRows: 5000, batchBytes: 8e6, timeoutMs: 2000, ...options,
  });
  await store.start();
  return store;
}

const tenantsIn = (request: RecordedRequest) => new Set(request.text.split('\n').map((line) => JSON.parse(line).tenant_id as string));
const since = (server: ScriptedServer, from: number) => server.requests.slice(from);

describe('append', () => {
  it('sends each tenant\'s events to its workspace with its token', async () => {
    const other = freshScope();
    const store = await started();
    const [s0, o0] = [shared.requests.length, own.requests.length];
    shared.answer(() => ({ body: { successful_rows: 2, quarantined_rows: 1 } }));
    own.answer(() => ({ body: { successful_rows: 1, quarantined_rows: 2 } }));
    const report = await store.append([
      fullEvent(other, traceId(), spanId()), fullEvent(ownTenant, traceId(), spanId()), fullEvent(other, traceId(), spanId()),
    ]);
    expect(report).toEqual({ quarantinedRows: 3 });
    const [toShared] = since(shared, s0);
    const [toOwn] = since(own, o0);
    expect(since(shared, s0)).toHaveLength(1);
    expect(toShared.headers.authorization).toBe('Bearer default-append');
    expect([...tenantsIn(toShared)]).toEqual([other.tenantId]);
    expect(toShared.text.split('\n')).toHaveLength(2);
    expect(since(own, o0)).toHaveLength(1);
    expect(toOwn.headers.authorization).toBe('Bearer own-append');
    expect([...tenantsIn(toOwn)]).toEqual([ownTenant.tenantId]);
    await store.shutdown();
  });

  it('splits a tenant\'s events into requests of at most batchRows rows and batchBytes bytes', async () => {
    const scope = freshScope();
    const events = Array.from({ length: 11 }, () => fullEvent(scope, traceId(), spanId()));
    shared.answer(() => ({ body: { successful_rows: 1, quarantined_rows: 0 } }));

    let store = await started({ batchRows: 4 });
    let from = shared.requests.length;
    await store.append(events);
    expect(since(shared, from).map((r) => r.text.split('\n').length)).toEqual([4, 4, 3]);
    await store.shutdown();

    const rowBytes = Buffer.byteLength(JSON.stringify(eventToRow(events[0]))) + 1;
    store = await started({ batchBytes: rowBytes * 2 + 10 });
    from = shared.requests.length;
    await store.append(events);
    const requests = since(shared, from);
    expect(requests.length).toBeGreaterThanOrEqual(5);
    for (const request of requests) expect(Buffer.byteLength(request.text)).toBeLessThanOrEqual(rowBytes * 2 + 10);
    expect(requests.flatMap((r) => r.text.split('\n').map((l) => JSON.parse(l).span_id))).toEqual(events.map((e) => e.span_id));
    await store.shutdown();
  });

  it('stops at the first refused request and says which tenant it was for', async () => {
    const store = await started({ batchRows: 1 });
    const scope = freshScope();
    let calls = 0;
    shared.answer(() => (++calls === 2 ? { status: 403, body: { error: 'Invalid token' } } : { body: {} }));
    const from = shared.requests.length;
    const error = await store.append([1, 2, 3].map(() => fullEvent(scope, traceId(), spanId()))).catch((err) => err);
    expect(error).toBeInstanceOf(AnalyticsAppendError);
    expect(error).toMatchObject({ retryable: false });
    expect(error.message).toContain(`tenant ${scope.tenantId} (request 2 of 3, 1 rows)`);
    expect(since(shared, from)).toHaveLength(2);
    await store.shutdown();
  });

  it('sends nothing when a tenant\'s settings cannot be read', async () => {
    const store = new TinybirdAnalyticsStore({
      targets: { forTenant: async () => { throw new Error('control plane down'); } },
      batchRows: 10, batchBytes: 1e6, timeoutMs: 1000,
    });
    await store.start();
    const from = shared.requests.length;
    await expect(store.append([fullEvent(freshScope(), traceId(), spanId())])).rejects.toThrow('control plane down');
    expect(shared.requests.length).toBe(from);
    await store.shutdown();
  });
});

describe('query', () => {
  it('calls the pipe with snake_case params and a JWT fixing tenant_id, and decodes its rows', async () => {
    const store = await started();
    shared.answer(() => ({ body: { meta: [{ name: 'spans', type: 'UInt64' }], data: [{ spans: '3' }], rows: 1, statistics: {} } }));
    const scope = freshScope();
    const from = shared.requests.length;
    expect(await store.query('span_count', scope)).toEqual([{ spans: 3 }]);

    shared.answer(() => ({ body: { data: [] } }));
    await store.query('usage_over_time', { ...scope, fromMs: 1_700_000_000_000, toMs: 1_700_003_600_000, bucketSeconds: 60, groupBy: 'model' });
    const [count, usage] = since(shared, from);
    expect(count.method).toBe('GET');
    expect(count.url.pathname).toBe('/v0/pipes/span_count.json');
    expect(Object.fromEntries(count.url.searchParams)).toEqual({ project_id: scope.projectId });
    expect(Object.fromEntries(usage.url.searchParams)).toEqual({
      project_id: scope.projectId, date_from: '2023-11-14 22:13:20.000', date_to: '2023-11-14 23:13:20.000', bucket_seconds: '60', group_by: 'model',
    });

    const token = /^Bearer (.+)$/.exec(count.headers.authorization!)![1];
    const { payload } = await jwtVerify(token, new TextEncoder().encode('default-admin'));
    expect(payload).toMatchObject({
      workspace_id: 'ws-shared', name: `observa-tenant-${scope.tenantId}`,
      scopes: [{ type: 'PIPES:READ', resource: 'span_count', fixed_params: { tenant_id: scope.tenantId } }],
    });
    expect(payload.exp! - Date.now() / 1000).toBeGreaterThan(590);
    expect(decodeJwt(/^Bearer (.+)$/.exec(usage.headers.authorization!)![1]).scopes).toEqual([
      { type: 'PIPES:READ', resource: 'usage_over_time', fixed_params: { tenant_id: scope.tenantId } },
    ]);
    await store.shutdown();
  });

  it('reads a tenant with its own workspace there, signed with its admin token', async () => {
    const store = await started();
    own.answer(() => ({ body: { data: [{ spans: 1 }] } }));
    const from = own.requests.length;
    expect(await store.query('span_count', ownTenant)).toEqual([{ spans: 1 }]);
    const token = /^Bearer (.+)$/.exec(since(own, from)[0].headers.authorization!)![1];
    expect((await jwtVerify(token, new TextEncoder().encode('own-admin'))).payload.workspace_id).toBe('ws-own');
    await store.shutdown();
  });

  it('reuses the JWT of a tenant and pipe across queries', async () => {
    const store = await started();
    shared.answer(() => ({ body: { data: [{ spans: 0 }] } }));
    const scope = freshScope();
    const from = shared.requests.length;
    await store.query('span_count', scope);
    await store.query('span_count', { ...scope, projectId: 'another-project' });
    const [a, b] = since(shared, from);
    expect(a.headers.authorization).toBe(b.headers.authorization);
    await store.shutdown();
  });

  it('fails with the status and Tinybird\'s message', async () => {
    const store = await started();
    shared.answer(() => ({ status: 400, body: { error: '[Error] Missing columns: \'nope\'' } }));
    const error = await store.query('span_count', freshScope()).catch((err) => err);
    expect(error).toBeInstanceOf(TinybirdQueryError);
    expect(error).toMatchObject({ status: 400 });
    expect(error.message).toBe('Tinybird pipe span_count answered 400: [Error] Missing columns: \'nope\'');

    shared.answer(() => ({ body: { rows: 0 } }));
    await expect(store.query('span_count', freshScope())).rejects.toThrow('without a JSON data array');
    shared.answer(() => ({ delayMs: 500, body: { data: [] } }));
    const slow = await started({ timeoutMs: 50 });
    await expect(slow.query('span_count', freshScope())).rejects.toMatchObject({ status: null, message: expect.stringContaining('timed out after 50 ms') });
    await store.shutdown();
    await slow.shutdown();
  });
});

describe('lifecycle', () => {
  it('refuses work before start and after shutdown; shutdown is safe twice', async () => {
    const store = new TinybirdAnalyticsStore({ targets: { forTenant: async () => defaultTarget() }, batchRows: 1, batchBytes: 1e6, timeoutMs: 1000 });
    await expect(store.append([])).rejects.toThrow('not started');
    await store.start();
    await store.shutdown();
    await store.shutdown();
    await expect(store.query('span_count', freshScope())).rejects.toThrow('shut down');
  });

  it('start rejects limits Tinybird would refuse', async () => {
    const store = new TinybirdAnalyticsStore({ targets: { forTenant: async () => defaultTarget() }, batchRows: 1, batchBytes: 11 * 1024 * 1024, timeoutMs: 1000 });
    await expect(store.start()).rejects.toThrow('batchBytes');
  });
});
