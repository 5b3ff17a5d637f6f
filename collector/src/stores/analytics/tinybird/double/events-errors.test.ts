import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, ndjsonOf, postEvents, signReadJwt, someEvents, startDouble } from './double.fixtures.ts';
import type { TinybirdDouble } from './tinybird-double.ts';

let double: TinybirdDouble;
beforeAll(async () => { double = await startDouble({ maxBodyBytes: 100_000 }); });
afterAll(() => double.close());

const countAll = async () => Number((await double.sql('SELECT count() AS n FROM events'))[0].n);

describe('Events API errors', () => {
  it('403 {error} for an unknown token, a missing token and a read JWT; nothing is stored', async () => {
    const before = await countAll();
    const body = ndjsonOf(someEvents(1));
    const jwt = await signReadJwt({ pipe: 'tenant_spans' });
    for (const token of ['wrong', '', jwt]) {
      const res = await postEvents(double, body, { token });
      expect(res.status).toBe(403);
      expect(await bodyOf(res)).toMatchObject({ error: expect.any(String), documentation: expect.any(String) });
    }
    expect(await countAll()).toBe(before);
  });

  it('404 {error} for a datasource that does not exist', async () => {
    const res = await postEvents(double, ndjsonOf(someEvents(1)), { name: 'no_such_ds' });
    expect(res.status).toBe(404);
    expect((await bodyOf(res)).error).toMatch(/no_such_ds.*not found/);
  });

  it('413 for a body over the limit, sent or decompressed', async () => {
    const big = `${'x'.repeat(100_001)}`;
    const plain = await postEvents(double, big);
    expect(plain.status).toBe(413);
    expect((await bodyOf(plain)).error).toMatch(/too large/);
    // Small on the wire, too large once gunzipped.
    const bomb = await postEvents(double, big, { gzip: true });
    expect(double.requests.at(-1)!.bodyBytes).toBeLessThan(1000);
    expect(bomb.status).toBe(413);
  });

  it('413 at the documented 10 MB by default', async () => {
    const fresh = await startDouble({ chdbSession: { path: double.dataDir } });
    try {
      const res = await postEvents(fresh, Buffer.alloc(10_000_001, 'x'));
      expect(res.status).toBe(413);
    } finally {
      await fresh.close();
    }
  });

  it('400 for an empty body and for a body that is not gzip although it says so', async () => {
    expect((await postEvents(double, '')).status).toBe(400);
    const res = await fetch(`${double.host}/v0/events?name=events`, {
      method: 'POST', headers: { Authorization: 'Bearer p.append-token', 'Content-Encoding': 'gzip' }, body: 'not gzip',
    });
    expect(res.status).toBe(400);
  });

  it('404 for paths the API does not have', async () => {
    const res = await fetch(`${double.host}/v0/nothing`, { headers: { Authorization: 'Bearer p.admin-token' } });
    expect(res.status).toBe(404);
  });
});
