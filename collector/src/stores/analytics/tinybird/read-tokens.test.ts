/** Read JWTs: what Tinybird checks (signature, workspace, scope, fixed tenant) and how long one is reused. */
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ReadTokens } from './read-tokens.ts';

const target = { host: 'http://tb', appendToken: 'append', adminToken: 'admin-token-of-the-workspace', workspaceId: 'ws-1' };
const key = (token: string) => new TextEncoder().encode(token);

describe('ReadTokens', () => {
  it('signs HS256 with the admin token, one pipe, tenant_id fixed, 10 minutes', async () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const token = await new ReadTokens({ now: () => now }).tokenFor('tenant-a', 'trace_spans', target);
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256' });
    const { payload } = await jwtVerify(token, key(target.adminToken), { currentDate: new Date(now) });
    expect(payload).toEqual({
      workspace_id: 'ws-1',
      name: 'observa-tenant-tenant-a',
      exp: now / 1000 + 600,
      scopes: [{ type: 'PIPES:READ', resource: 'trace_spans', fixed_params: { tenant_id: 'tenant-a' } }],
    });
    await expect(jwtVerify(token, key('another-admin-token'))).rejects.toThrow();
  });

  it('reuses a token per tenant and pipe until shortly before it expires', async () => {
    let now = Date.parse('2026-03-01T12:00:00Z');
    const tokens = new ReadTokens({ now: () => now, ttlSeconds: 600, renewBeforeSeconds: 60 });
    const first = await tokens.tokenFor('tenant-a', 'trace_spans', target);
    now += 1000; // a new token would differ in exp
    expect(await tokens.tokenFor('tenant-a', 'trace_spans', target)).toBe(first);
    const otherPipe = await tokens.tokenFor('tenant-a', 'span_count', target);
    const otherTenant = await tokens.tokenFor('tenant-b', 'trace_spans', target);
    expect(new Set([first, otherPipe, otherTenant]).size).toBe(3);
    expect(decodeJwt(otherTenant).scopes).toEqual([{ type: 'PIPES:READ', resource: 'trace_spans', fixed_params: { tenant_id: 'tenant-b' } }]);

    now += 538_000; // 539 s after signing: 61 s left, still reused
    expect(await tokens.tokenFor('tenant-a', 'trace_spans', target)).toBe(first);
    now += 2000; // 59 s left: renewed
    const renewed = await tokens.tokenFor('tenant-a', 'trace_spans', target);
    expect(renewed).not.toBe(first);
    expect(decodeJwt(renewed).exp).toBe(Math.floor(now / 1000) + 600);
  });

  it('signs anew when the tenant\'s admin token or workspace changes', async () => {
    const tokens = new ReadTokens();
    const first = await tokens.tokenFor('tenant-a', 'trace_spans', target);
    const rotated = await tokens.tokenFor('tenant-a', 'trace_spans', { ...target, adminToken: 'rotated-admin-token' });
    expect(rotated).not.toBe(first);
    await jwtVerify(rotated, key('rotated-admin-token'));
    const moved = await tokens.tokenFor('tenant-a', 'trace_spans', { ...target, adminToken: 'rotated-admin-token', workspaceId: 'ws-2' });
    expect(decodeJwt(moved).workspace_id).toBe('ws-2');
  });
});
