/**
 * The JSON API's limits in a running collector: per tenant once a guard resolved it, per client IP
 * before the routers; health checks, dashboard assets and ingestion are not counted against them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

let collector: TestCollector;
// A dashboard to serve, whether or not this checkout has built ui/dist.
const uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-ui-limits-'));
beforeAll(async () => {
  fs.writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><div id="app"></div>');
  collector = await startTestCollector({ env: { OBSERVA_RATE_LIMIT_API_TENANT: '3', OBSERVA_RATE_LIMIT_API_IP: '6', OBSERVA_UI_DIR: uiDir } });
});
afterAll(async () => {
  await collector?.close();
  fs.rmSync(uiDir, { recursive: true, force: true });
});

it('limits the JSON API per tenant and per client IP, and leaves health, assets and ingestion alone', async () => {
  for (let i = 0; i < 8; i++) {
    expect((await collector.request('/healthz')).status).toBe(200);
    expect((await collector.request('/')).status).toBe(200);
  }

  for (let i = 0; i < 3; i++) expect((await collector.request('/api/v1/traces')).status).toBe(200);
  const overTenant = await collector.request('/api/v1/traces');
  expect(overTenant.status).toBe(429);
  expect(Number(overTenant.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(((await overTenant.json()) as any).error.message).toMatch(
    new RegExp(`^rate limit exceeded: API limit for tenant ${collector.tenantId} is 3 requests per minute; retry in \\d+ s$`),
  );

  // Routes that act on no tenant count against the client IP only: 4 requests so far, 2 more pass.
  expect((await collector.request('/api/v1/projects')).status).toBe(200);
  expect((await collector.request('/api/v1/projects')).status).toBe(200);
  const overIp = await collector.request('/api/v1/projects');
  expect(overIp.status).toBe(429);
  expect(((await overIp.json()) as any).error.message).toMatch(/^rate limit exceeded: API limit for client IP \S+ is 6 requests per minute; retry in \d+ s$/);

  const ingest = await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceSpans: [] }) });
  expect(ingest.status).toBe(200);
  expect(ingest.headers.get('ratelimit-limit')).toBe('6000');
});
