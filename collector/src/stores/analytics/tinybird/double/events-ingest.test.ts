import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowToEvent } from '../../event-row.ts';
import { ADMIN, ndjsonOf, postEvents, someEvents, startDouble } from './double.fixtures.ts';
import type { TinybirdDouble } from './tinybird-double.ts';

let double: TinybirdDouble;
beforeAll(async () => { double = await startDouble(); });
afterAll(() => double.close());

const spansOf = (tenant: string) => double.sql('SELECT * FROM events FINAL WHERE tenant_id = {t:String} ORDER BY span_id', { t: tenant });

describe('Events API ingest', () => {
  it('answers 200 {successful_rows, quarantined_rows} with wait=true, and the rows are readable', async () => {
    const events = someEvents(3);
    const res = await postEvents(double, ndjsonOf(events));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ successful_rows: 3, quarantined_rows: 0 });
    const stored = (await spansOf(events[0].tenant_id)).map(rowToEvent);
    const sorted = [...events].sort((a, b) => a.span_id.localeCompare(b.span_id));
    // Containing: columns the event leaves out read back as their DEFAULT.
    expect(stored).toEqual(sorted.map((event) => expect.objectContaining(event)));
  });

  it('answers 202 without wait=true (accepted, written later)', async () => {
    const events = someEvents(2);
    const res = await postEvents(double, ndjsonOf(events), { wait: false });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ successful_rows: 2, quarantined_rows: 0 });
  });

  it('takes a gzip body (Content-Encoding: gzip)', async () => {
    const events = someEvents(50);
    const res = await postEvents(double, ndjsonOf(events), { gzip: true });
    expect(await res.json()).toEqual({ successful_rows: 50, quarantined_rows: 0 });
    expect(await spansOf(events[0].tenant_id)).toHaveLength(50);
    const logged = double.requests.at(-1)!;
    expect(logged).toMatchObject({ route: 'events', contentEncoding: 'gzip', status: 200, successfulRows: 50 });
    expect(logged.bodyBytes).toBeLessThan(Buffer.byteLength(ndjsonOf(events)));
  });

  it('accepts the admin token too, and ignores a trailing newline and unknown fields', async () => {
    const [event] = someEvents(1);
    const line = JSON.stringify({ ...JSON.parse(ndjsonOf([event])), not_a_column: 1 });
    const res = await postEvents(double, `${line}\n`, { token: ADMIN });
    expect(await res.json()).toEqual({ successful_rows: 1, quarantined_rows: 0 });
  });

  it('sends X-RateLimit-Limit, -Remaining and -Reset on every response', async () => {
    const ok = await postEvents(double, ndjsonOf(someEvents(1)));
    const denied = await postEvents(double, ndjsonOf(someEvents(1)), { token: 'nope' });
    for (const res of [ok, denied]) {
      expect(res.headers.get('x-ratelimit-limit')).toBe('100');
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(100);
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    }
  });
});
