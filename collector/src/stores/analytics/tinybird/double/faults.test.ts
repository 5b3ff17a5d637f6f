import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, ndjsonOf, postEvents, someEvents, startDouble } from './double.fixtures.ts';
import type { TinybirdDouble } from './tinybird-double.ts';

let double: TinybirdDouble;
beforeAll(async () => { double = await startDouble({ rateLimitPerSecond: 1000 }); });
afterEach(() => double.faults.reset());
afterAll(() => double.close());

const spanCount = async (tenant: string) =>
  Number((await double.sql('SELECT count() AS n FROM events WHERE tenant_id = {t:String}', { t: tenant }))[0].n);

describe('fault injection', () => {
  it('failNext(1, 429, {retryAfterSeconds: 2}): one 429 with Retry-After and rate-limit headers, then normal', async () => {
    double.faults.failNext(1, 429, { retryAfterSeconds: 2 });
    const events = someEvents(1);
    const limited = await postEvents(double, ndjsonOf(events));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe('2');
    expect((await bodyOf(limited)).error).toMatch(/retry after 2/);
    expect(await spanCount(events[0].tenant_id)).toBe(0);
    expect((await postEvents(double, ndjsonOf(events))).status).toBe(200);
    expect(double.requests.slice(-2).map((r) => r.answeredBy)).toEqual(['fault', 'endpoint']);
  });

  it('mode 503 answers every request until switched back to ok', async () => {
    double.faults.mode = '503';
    for (let i = 0; i < 3; i++) expect((await postEvents(double, ndjsonOf(someEvents(1)))).status).toBe(503);
    double.faults.mode = 'ok';
    expect((await postEvents(double, ndjsonOf(someEvents(1)))).status).toBe(200);
  });

  it('failFor(ms, 503) answers 503 for that long, on the chosen route only', async () => {
    double.faults.failFor(300, 503, { route: 'events' });
    expect((await postEvents(double, ndjsonOf(someEvents(1)))).status).toBe(503);
    const read = await fetch(`${double.host}/v0/pipes/nothing.json`, { headers: { Authorization: 'Bearer p.admin-token' } });
    expect(read.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await postEvents(double, ndjsonOf(someEvents(1)))).status).toBe(200);
  });

  it('the real limiter: past rateLimitPerSecond a datasource gets 429 with Retry-After', async () => {
    const limited = await startDouble({ rateLimitPerSecond: 2, chdbSession: { path: double.dataDir } });
    try {
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 3; i++) {
        last = await postEvents(limited, ndjsonOf(someEvents(1)));
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 429]);
      expect(last!.headers.get('x-ratelimit-limit')).toBe('2');
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });

  it('rateLimitResetSeconds sets X-RateLimit-Reset on every answer', async () => {
    double.faults.rateLimitResetSeconds = 7;
    expect((await postEvents(double, ndjsonOf(someEvents(1)))).headers.get('x-ratelimit-reset')).toBe('7');
  });

  it('a delay longer than the client timeout is a timeout, and (phase before) nothing is stored', async () => {
    double.faults.delayNext(1, 5_000);
    const events = someEvents(1);
    const started = Date.now();
    await expect(postEvents(double, ndjsonOf(events), { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await spanCount(events[0].tenant_id)).toBe(0);
    expect(double.requests.at(-1)!.status).toBe(0);
  });

  it('phase after: the rows are stored but the answer never reaches the client (a lost ack)', async () => {
    double.faults.delayMs = 5_000;
    double.faults.delayPhase = 'after';
    const events = someEvents(2);
    await expect(postEvents(double, ndjsonOf(events), { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(await spanCount(events[0].tenant_id)).toBe(2);
  });

  it('close() does not wait for a pending delay', async () => {
    const other = await startDouble({ chdbSession: { path: double.dataDir } });
    other.faults.delayMs = 30_000;
    const pending = postEvents(other, ndjsonOf(someEvents(1))).catch((err: Error) => err);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
