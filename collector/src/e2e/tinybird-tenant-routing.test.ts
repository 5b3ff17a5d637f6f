/**
 * A collector started with OBSERVA_ANALYTICS=tinybird, against two local servers standing in for the
 * deployment's shared workspace and one tenant's own workspace: shipped events and reads go where the
 * tenant's settings say, with that tenant's tokens, and a settings change applies to the next batch.
 */
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from '../testing/scripted-http-server.ts';

let shared: ScriptedServer;
let own: ScriptedServer;
let collector: TestCollector;
let otherKey: string;

const answer = (request: RecordedRequest) =>
  request.url.pathname === '/v0/events' ? { body: { successful_rows: 1, quarantined_rows: 0 } } : { body: { meta: [], data: [], rows: 0 } };

beforeAll(async () => {
  shared = await startScriptedServer(answer);
  own = await startScriptedServer(answer);
  collector = await startTestCollector({
    env: { OBSERVA_ANALYTICS: 'tinybird', TINYBIRD_HOST: shared.url, TINYBIRD_APPEND_TOKEN: 'shared-append', TINYBIRD_ADMIN_TOKEN: 'shared-admin', TINYBIRD_WORKSPACE_ID: 'ws-shared' },
  });
  const tenantId = randomUUID();
  const projectId = randomUUID();
  await collector.db('tenants').insert({ id: tenantId, slug: 'other', name: 'Other' });
  await collector.db('projects').insert({ id: projectId, tenant_id: tenantId, slug: 'p', name: 'Other project' });
  otherKey = (await collector.apiKeys.create({ tenantId, projectId, name: 'other', scopes: ['ingest', 'read'], createdBy: null })).key;
});
afterAll(async () => {
  await collector?.close();
  await shared?.close();
  await own?.close();
});

async function ingest(key: string, traceId: string) {
  const response = await collector.request('/v1/traces', {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(otlpJson([jsonSpan({ traceId, name: 'routed' })])),
  });
  expect(response.status).toBe(200);
  await collector.shipped();
}

/** The Events API request that carried `traceId`, and the tenant it was stamped with. */
function appendOf(server: ScriptedServer, traceId: string) {
  const request = server.requests.find((r) => r.url.pathname === '/v0/events' && r.text.includes(traceId));
  return request && { authorization: request.headers.authorization, tenantId: JSON.parse(request.text.split('\n')[0]).tenant_id };
}

it('ships to the deployment workspace, then to the tenant\'s own once it has settings', async () => {
  expect(collector.analytics.backend).toBe('tinybird');
  const before = randomTraceId();
  await ingest(collector.apiKey, before);
  expect(appendOf(shared, before)).toEqual({ authorization: 'Bearer shared-append', tenantId: collector.tenantId });

  const login = await fetch(`${collector.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
  const { token } = (await login.json()) as { token: string };
  const put = await collector.request(`/api/v1/tenants/${collector.tenantId}/analytics`, {
    method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ host: own.url, workspace_id: 'ws-own', append_token: 'own-append-token', admin_token: 'own-admin-token' }),
  });
  expect(put.status).toBe(200);

  const after = randomTraceId();
  const otherTenant = randomTraceId();
  await ingest(collector.apiKey, after);
  await ingest(otherKey, otherTenant);
  expect(appendOf(own, after)).toEqual({ authorization: 'Bearer own-append-token', tenantId: collector.tenantId });
  expect(appendOf(shared, after)).toBeUndefined();
  expect(appendOf(shared, otherTenant)?.authorization).toBe('Bearer shared-append');

  // Reads of this tenant go to its workspace too, with a JWT for its workspace and tenant.
  const read = await collector.request(`/api/v1/traces/${after}`);
  expect(read.status).toBe(200);
  const pipeCall = own.requests.find((r) => r.url.pathname === '/v0/pipes/trace_spans.json')!;
  expect(pipeCall.url.searchParams.get('trace_id')).toBe(after);
  const claims = decodeJwt(/^Bearer (.+)$/.exec(pipeCall.headers.authorization!)![1]);
  expect(claims).toMatchObject({ workspace_id: 'ws-own', scopes: [{ resource: 'trace_spans', fixed_params: { tenant_id: collector.tenantId } }] });
});
