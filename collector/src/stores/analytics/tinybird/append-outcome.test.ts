/**
 * Events API answers -> append outcomes, checked on the wire: a local server answers each status and
 * header the Tinybird docs describe, and the store's AnalyticsAppendError must say whether the shipper
 * may retry and how long to wait.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptedServer, type ScriptedReply, type ScriptedServer } from '../../../testing/scripted-http-server.ts';
import { AnalyticsAppendError } from '../analytics-store.ts';
import { freshScope, fullEvent, spanId, traceId } from '../analytics-store.fixtures.ts';
import { retryAfterMs } from './tinybird-retry.ts';
import { TinybirdAnalyticsStore } from './tinybird-store.ts';

let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedServer();
});
afterAll(async () => {
  await server?.close();
});

async function storeAt(host: string, timeoutMs = 2000) {
  const target = { host, appendToken: 'append-token', adminToken: 'admin-token', workspaceId: 'ws' };
  const store = new TinybirdAnalyticsStore({ targets: { forTenant: async () => target }, batchRows: 5000, batchBytes: 8e6, timeoutMs });
  await store.start();
  return store;
}

/** Appends one event against a server answering `reply`; returns the outcome or the classified error. */
async function appendAnswered(reply: ScriptedReply, timeoutMs?: number) {
  server.answer(() => reply);
  const store = await storeAt(server.url, timeoutMs);
  try {
    return { report: await store.append([fullEvent(freshScope(), traceId(), spanId())]) };
  } catch (err) {
    expect(err).toBeInstanceOf(AnalyticsAppendError);
    return { error: err as AnalyticsAppendError };
  } finally {
    await store.shutdown();
  }
}

describe('Events API outcomes', () => {
  it('200 and 202 succeed and report quarantined rows', async () => {
    expect(await appendAnswered({ status: 200, body: { successful_rows: 0, quarantined_rows: 1 } })).toEqual({ report: { quarantinedRows: 1 } });
    expect(await appendAnswered({ status: 202, body: {} })).toEqual({ report: { quarantinedRows: 0 } });
  });

  it('posts gzipped NDJSON with wait=true and the append token', async () => {
    await appendAnswered({ status: 200, body: { successful_rows: 1, quarantined_rows: 0 } });
    const request = server.requests.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/v0/events');
    expect(Object.fromEntries(request.url.searchParams)).toEqual({ name: 'events', wait: 'true' });
    expect(request.headers).toMatchObject({ authorization: 'Bearer append-token', 'content-encoding': 'gzip', 'content-type': 'application/x-ndjson' });
    expect(request.raw.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(JSON.parse(request.text)).toMatchObject({ trace_id: expect.any(String), type: 'llm' });
  });

  it('429 is retryable after Retry-After seconds', async () => {
    const { error } = await appendAnswered({ status: 429, headers: { 'retry-after': '7' }, body: { error: 'Too many requests' } });
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    expect(error!.message).toContain('429');
    expect(error!.message).toContain('Too many requests');
  });

  it('429 is retryable after a Retry-After HTTP-date', async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    const { error } = await appendAnswered({ status: 429, headers: { 'retry-after': at } });
    expect(error!.retryable).toBe(true);
    // HTTP-dates have whole seconds: between 28 and 30 s from now.
    expect(error!.retryAfterMs).toBeGreaterThan(28_000);
    expect(error!.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('429 falls back to X-RateLimit-Reset seconds, and to no hint', async () => {
    expect((await appendAnswered({ status: 429, headers: { 'x-ratelimit-reset': '12' } })).error).toMatchObject({ retryable: true, retryAfterMs: 12_000 });
    expect((await appendAnswered({ status: 429 })).error).toMatchObject({ retryable: true, retryAfterMs: null });
  });

  it.each([500, 502, 503, 504, 408])('%i is retryable', async (status) => {
    const { error } = await appendAnswered({ status, body: { error: 'upstream trouble' } });
    expect(error).toMatchObject({ retryable: true });
    expect(error!.message).toContain('upstream trouble');
  });

  it('503 with Retry-After keeps the hint', async () => {
    expect((await appendAnswered({ status: 503, headers: { 'retry-after': '2' } })).error).toMatchObject({ retryable: true, retryAfterMs: 2000 });
  });

  it.each([
    [400, 'Invalid JSON in line 1'],
    [401, 'Missing token'],
    [403, 'Invalid token or missing scope DATASOURCES:APPEND'],
    [404, 'Data Source not found in this region'],
    [413, 'Request too large'],
  ])('%i is permanent and carries Tinybird\'s reason', async (status, reason) => {
    const { error } = await appendAnswered({ status, body: { error: reason, documentation: 'https://www.tinybird.co/docs' } });
    expect(error).toMatchObject({ retryable: false, retryAfterMs: null });
    expect(error!.message).toContain(String(status));
    expect(error!.message).toContain(reason);
    expect(error!.message).not.toContain('append-token');
  });

  it('422 is permanent and says rows may be partly ingested', async () => {
    const { error } = await appendAnswered({ status: 422, body: { error: 'Materialized view failed' } });
    expect(error).toMatchObject({ retryable: false });
    expect(error!.message).toContain('Materialized view failed');
    expect(error!.message).toContain('partly ingested');
  });

  it('a non-JSON error body is quoted as text', async () => {
    const { error } = await appendAnswered({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad gateway</body></html>' });
    expect(error!.message).toContain('Bad gateway');
  });

  it('a timeout is retryable', async () => {
    const { error } = await appendAnswered({ status: 200, delayMs: 1000 }, 100);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: null });
    expect(error!.message).toContain('timed out after 100 ms');
  });

  it('a refused connection is retryable', async () => {
    const closed = await startScriptedServer();
    await closed.close();
    const store = await storeAt(closed.url);
    const error = await store.append([fullEvent(freshScope(), traceId(), spanId())]).catch((err) => err);
    expect(error).toBeInstanceOf(AnalyticsAppendError);
    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toContain('unreachable');
  });
});

describe('retryAfterMs', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it('prefers Retry-After over X-RateLimit-Reset', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3', 'x-ratelimit-reset': '9' }))).toBe(3000);
  });
  it('reads a past HTTP-date as no wait', () => {
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }))).toBe(0);
  });
  it('tells an epoch X-RateLimit-Reset from a delta', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'x-ratelimit-reset': String(now / 1000 + 5) }), now)).toBe(5000);
  });
  it('ignores unparseable values', () => {
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }))).toBeNull();
  });
});
