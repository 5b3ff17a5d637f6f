import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, APPEND, bodyOf, ndjsonOf, type PipeBody, postEvents, someEvents, startDouble, testPipesDir } from './double.fixtures.ts';
import type { TinybirdDouble } from './tinybird-double.ts';

let double: TinybirdDouble;
const pipesDir = testPipesDir();
const events = someEvents(2);
const tenant = events[0].tenant_id;
beforeAll(async () => {
  double = await startDouble({ pipesDir, tokens: [{ token: 'p.read-spans', scopes: ['PIPES:READ:tenant_spans'] }] });
  await postEvents(double, ndjsonOf(events));
});
afterAll(async () => {
  await double.close();
  rmSync(pipesDir, { recursive: true, force: true });
});

const readPipe = (pipe: string, params: Record<string, string>, token: string | null) =>
  fetch(`${double.host}/v0/pipes/${pipe}.json?${new URLSearchParams(params)}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

describe('pipe endpoint', () => {
  it('answers {meta, data, rows, statistics} for the admin token', async () => {
    const res = await readPipe('tenant_spans', { tenant_id: tenant }, ADMIN);
    expect(res.status).toBe(200);
    const body = await bodyOf<PipeBody>(res);
    expect(body.meta).toEqual([
      { name: 'tenant_id', type: 'LowCardinality(String)' },
      { name: 'span_id', type: 'String' },
      { name: 'input_tokens', type: 'UInt64' },
    ]);
    const spans = events.map((e) => e.span_id).sort();
    // 64-bit integers are JSON numbers, as in Tinybird's answers.
    expect(body.data).toEqual(spans.map((span_id) => ({ tenant_id: tenant, span_id, input_tokens: events[0].input_tokens })));
    expect(body.rows).toBe(2);
    expect(body.statistics).toEqual({ elapsed: expect.any(Number), rows_read: expect.any(Number), bytes_read: expect.any(Number) });
    expect(res.headers.get('x-ratelimit-limit')).toBe('100');
  });

  it('reads with a static PIPES:READ:<pipe> token, also passed as ?token=', async () => {
    expect((await readPipe('tenant_spans', { tenant_id: tenant }, 'p.read-spans')).status).toBe(200);
    const viaQuery = await readPipe('tenant_spans', { tenant_id: tenant, token: 'p.read-spans' }, null);
    expect((await bodyOf<PipeBody>(viaQuery)).rows).toBe(2);
    expect(double.requests.at(-1)!.query.token).toBe('<redacted>');
  });

  it('403 for a token without read scope on the pipe: the append token, a scope for another pipe, an unknown token', async () => {
    for (const [pipe, token] of [['tenant_spans', APPEND], ['other_pipe', 'p.read-spans'], ['tenant_spans', 'nope']]) {
      const res = await readPipe(pipe, { tenant_id: tenant }, token);
      expect(res.status).toBe(403);
      expect((await bodyOf(res)).error).toEqual(expect.any(String));
    }
  });

  it('400 {error} when a required param is missing', async () => {
    const res = await readPipe('tenant_spans', {}, ADMIN);
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error).toMatch(/tenant_id/);
  });

  it('404 for a pipe that does not exist (or a name that is not one)', async () => {
    expect((await readPipe('no_such_pipe', {}, ADMIN)).status).toBe(404);
    expect((await readPipe('..%2Fsecret', {}, ADMIN)).status).toBe(404);
  });
});
