/**
 * Two collector processes sharing one Postgres enforce one set of ingestion limits: a tenant's 11th
 * request in the minute is refused on either process, another tenant is unaffected, and a client IP
 * (X-Forwarded-For behind a trusted proxy) is limited before its key is even looked at.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../testing/collector-process.ts';
import { jsonSpan, otlpJson } from '../testing/otlp-json.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';

const PASSWORD = 'rate limits e2e password';
const TENANT_LIMIT = 10;
const IP_LIMIT = 5;

describe.skipIf(!process.env.TEST_DATABASE_URL)('rate limits across two collector processes (needs TEST_DATABASE_URL: processes cannot share embedded PGlite)', () => {
  let database: TestDatabase;
  const dataDirs: string[] = [];
  const processes: CollectorProcess[] = [];
  let firstKey: string;
  let firstTenant: string;
  let secondKey: string;

  const start = (env: Record<string, string>) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-limits-e2e-'));
    dataDirs.push(dataDir);
    return startCollectorProcess({
      DATABASE_URL: database.url!,
      OBSERVA_DATA_DIR: dataDir,
      OBSERVA_SECRET: 'rate-limits-e2e-secret-of-at-least-32-characters',
      OBSERVA_ADMIN_PASSWORD: PASSWORD,
      OBSERVA_TRUST_PROXY: 'true',
      OBSERVA_RATE_LIMIT_INGEST_TENANT: String(TENANT_LIMIT),
      OBSERVA_RATE_LIMIT_INGEST_IP: String(IP_LIMIT),
      ...env,
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    processes.push(await start({}));
    firstKey = /^OBSERVA_API_KEY=(.+)$/m.exec(processes[0].output())![1];
    processes.push(await start({}));

    // A second tenant with its own ingest key, through the API an administrator uses.
    const api = async (pathname: string, init: RequestInit & { token?: string } = {}) => {
      const headers = { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) };
      const response = await fetch(`${processes[0].url}${pathname}`, { ...init, headers });
      if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
      return (await response.json()) as any;
    };
    const { token } = await api('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email: 'admin@observa.local', password: PASSWORD }) });
    firstTenant = (await api('/api/v1/tenants', { token })).data[0].id;
    const tenant = await api('/api/v1/tenants', { method: 'POST', token, body: JSON.stringify({ name: `Second ${randomBytes(3).toString('hex')}` }) });
    secondKey = (await api(`/api/v1/projects/${tenant.default_project_id}/api-keys`, { method: 'POST', token, body: JSON.stringify({ name: 'second', scopes: ['ingest'] }) })).key;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await database?.drop();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  const ingest = (collector: CollectorProcess, key: string, clientIp: string) =>
    fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'x-forwarded-for': clientIp },
      body: JSON.stringify(otlpJson([jsonSpan({ name: 'limited' })])),
    });

  it('refuses a tenant\'s 11th request on either process with 429, Retry-After and the limit named', async () => {
    // A client IP per request, so only the tenant limit is in play.
    for (let i = 0; i < TENANT_LIMIT; i++) {
      const response = await ingest(processes[i % 2], firstKey, `198.51.100.${i + 1}`);
      expect(response.status, `request ${i + 1}`).toBe(200);
    }
    for (const collector of processes) {
      const refused = await ingest(collector, firstKey, '198.51.100.200');
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(((await refused.json()) as any).message).toBe(
        `rate limit exceeded: ingestion limit for tenant ${firstTenant} is ${TENANT_LIMIT} requests per minute; retry in ${retryAfter} s`,
      );
    }
    expect((await ingest(processes[1], secondKey, '198.51.100.201')).status).toBe(200);
  }, 60_000);

  it('limits a client IP across both processes, before the key is verified', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < IP_LIMIT; i++) expect((await ingest(processes[i % 2], secondKey, ip)).status, `request ${i + 1}`).toBe(200);
    for (const key of [secondKey, 'not-a-key']) {
      const refused = await ingest(processes[0], key, ip);
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as any).message).toMatch(
        new RegExp(`^rate limit exceeded: ingestion limit for client IP ${ip} is ${IP_LIMIT} requests per minute; retry in \\d+ s$`),
      );
    }
    expect((await ingest(processes[1], secondKey, '203.0.113.10')).status).toBe(200);
  }, 60_000);
});
