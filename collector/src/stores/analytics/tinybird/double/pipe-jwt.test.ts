import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshScope } from '../../analytics-store.fixtures.ts';
import { bodyOf, ndjsonOf, type PipeBody, postEvents, signReadJwt, someEvents, startDouble, testPipesDir } from './double.fixtures.ts';
import type { TinybirdDouble } from './tinybird-double.ts';

let double: TinybirdDouble;
const pipesDir = testPipesDir();
const tenantA = someEvents(2, freshScope());
const tenantB = someEvents(3, freshScope());
const A = tenantA[0].tenant_id;
const B = tenantB[0].tenant_id;
beforeAll(async () => {
  double = await startDouble({ pipesDir });
  await postEvents(double, ndjsonOf([...tenantA, ...tenantB]));
});
afterAll(async () => {
  await double.close();
  rmSync(pipesDir, { recursive: true, force: true });
});

const readPipe = (pipe: string, params: Record<string, string>, token: string) =>
  fetch(`${double.host}/v0/pipes/${pipe}.json?${new URLSearchParams(params)}`, { headers: { Authorization: `Bearer ${token}` } });

describe('pipe endpoint with read JWTs', () => {
  it("fixed_params win: tenant A's JWT passing tenant_id=B reads A's rows only", async () => {
    const jwt = await signReadJwt({ pipe: 'tenant_spans', fixedParams: { tenant_id: A } });
    for (const params of [{ tenant_id: B }, {}, { tenant_id: A }] as Record<string, string>[]) {
      const res = await readPipe('tenant_spans', params, jwt);
      expect(res.status).toBe(200);
      const body = await bodyOf<PipeBody>(res);
      expect(body.data.map((r) => r.tenant_id)).toEqual([A, A]);
    }
  });

  it('403 for an expired JWT', async () => {
    const jwt = await signReadJwt({ pipe: 'tenant_spans', fixedParams: { tenant_id: A }, expiresIn: -60 });
    const res = await readPipe('tenant_spans', {}, jwt);
    expect(res.status).toBe(403);
    expect((await bodyOf(res)).error).toMatch(/expired/);
  });

  it('403 for a JWT whose scope is another pipe', async () => {
    const jwt = await signReadJwt({ pipe: 'other_pipe', fixedParams: { tenant_id: A } });
    expect((await readPipe('tenant_spans', { tenant_id: A }, jwt)).status).toBe(403);
  });

  it('403 for a JWT signed with another key or for another workspace', async () => {
    for (const jwt of [
      await signReadJwt({ pipe: 'tenant_spans', fixedParams: { tenant_id: A }, key: 'not-the-admin-token' }),
      await signReadJwt({ pipe: 'tenant_spans', fixedParams: { tenant_id: A }, workspaceId: 'someone-else' }),
    ]) {
      expect((await readPipe('tenant_spans', {}, jwt)).status).toBe(403);
    }
  });

  it("limits.rps limits reads per JWT name, and answers 429 past it", async () => {
    const jwt = await signReadJwt({ pipe: 'tenant_spans', fixedParams: { tenant_id: A }, name: 'tenant-a-limited', rps: 1 });
    const first = await readPipe('tenant_spans', {}, jwt);
    const second = await readPipe('tenant_spans', {}, jwt);
    expect(first.headers.get('x-ratelimit-limit')).toBe('1');
    expect([first.status, second.status]).toEqual([200, 429]);
    expect(second.headers.get('retry-after')).toBeTruthy();
  });
});
