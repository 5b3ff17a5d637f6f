import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/passwords.ts';
import { startCollector, type Collector } from '../collector.ts';
import { loadConfig } from '../config.ts';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector } from '../testing/test-collector.ts';

const JSON_TYPE = { 'content-type': 'application/json' };
const LIMITS = { OBSERVA_TRUST_PROXY: 'true', OBSERVA_LOGIN_MAX_FAILURES_PER_ACCOUNT: '5', OBSERVA_LOGIN_MAX_FAILURES_PER_IP: '8' };

interface Session {
  token: string;
  csrf: string;
  /** The Cookie header a browser would send back. */
  cookie: string;
  setCookies: string[];
}

function login(base: { url: string }, email: string, password: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base.url}/api/v1/auth/login`, { method: 'POST', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify({ email, password }) });
}

async function signIn(base: { url: string }, email = ADMIN_EMAIL, password = ADMIN_PASSWORD, headers: Record<string, string> = {}): Promise<Session> {
  const response = await login(base, email, password, headers);
  expect(response.status).toBe(200);
  const body = (await response.json()) as any;
  const setCookies = response.headers.getSetCookie();
  return { token: body.token, csrf: body.csrf_token, cookie: setCookies.map((c) => c.split(';')[0]).join('; '), setCookies };
}

/** A cookie-authenticated browser request; `csrf` adds the header. */
function browser(base: { url: string }, session: Session, pathname: string, init: RequestInit & { csrf?: boolean } = {}): Promise<Response> {
  const headers = { ...JSON_TYPE, cookie: session.cookie, ...(init.csrf ? { 'x-observa-csrf': session.csrf } : {}), ...(init.headers as Record<string, string>) };
  return fetch(`${base.url}${pathname}`, { ...init, headers });
}

async function createUser(c: TestCollector, email: string, password: string): Promise<string> {
  const id = randomUUID();
  await c.db('users').insert({ id, email, name: email.split('@')[0], password_hash: await hashPassword(password) });
  await c.db('memberships').insert({ tenant_id: c.tenantId, user_id: id, role: 'member' });
  return id;
}

async function eventually(check: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let collector: TestCollector;

beforeAll(async () => {
  collector = await startTestCollector({ env: LIMITS, analytics: new InMemoryAnalyticsStore() });
});

afterAll(async () => {
  await collector?.close();
});

describe('session cookies and /auth/me', () => {
  it('sets an httpOnly SameSite=Lax session cookie and a readable CSRF cookie, Secure only over https', async () => {
    const plain = await signIn(collector);
    const [session, csrf] = ['observa_session', 'observa_csrf'].map((name) => plain.setCookies.find((c) => c.startsWith(`${name}=`))!);
    expect(session).toMatch(/; path=\/; expires=.+; samesite=lax; httponly$/);
    expect(csrf.startsWith(`observa_csrf=${plain.csrf};`)).toBe(true);
    expect(csrf).toMatch(/; path=\/; expires=.+; samesite=lax$/);
    const https = await signIn(collector, ADMIN_EMAIL, ADMIN_PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(https.setCookies).toHaveLength(2);
    for (const cookie of https.setCookies) expect(cookie).toMatch(/; samesite=lax; secure/);
  });

  it('GET /auth/me names the user, their tenants with role, and the session expiry and CSRF token', async () => {
    const session = await signIn(collector);
    const me = (await (await browser(collector, session, '/api/v1/auth/me')).json()) as any;
    expect(me.user).toMatchObject({ email: ADMIN_EMAIL, is_instance_admin: true });
    expect(me.tenants).toEqual([expect.objectContaining({ id: collector.tenantId, slug: 'default', role: 'owner' })]);
    expect(me.session.csrf_token).toBe(session.csrf);
    expect(Date.parse(me.session.expires_at)).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect((await collector.request('/api/v1/auth/me')).status).toBe(403); // an API key is not a user
  });
});

describe('CSRF', () => {
  const createKey = (headers: Record<string, string>) => ({ method: 'POST', headers, body: JSON.stringify({ name: 'csrf', scopes: ['read'] }) });

  it('refuses cookie-authenticated writes without the session token, accepts them with it; Bearer is exempt', async () => {
    const session = await signIn(collector);
    const keys = `/api/v1/projects/${collector.projectId}/api-keys`;
    const missing = await browser(collector, session, keys, createKey({}));
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as any).error.message).toMatch(/missing x-observa-csrf header/);
    const wrong = await browser(collector, session, keys, createKey({ 'x-observa-csrf': 'forged' }));
    expect(wrong.status).toBe(403);
    expect((await browser(collector, session, keys, { ...createKey({}), csrf: true })).status).toBe(201);
    const bearer = await fetch(`${collector.url}${keys}`, createKey({ ...JSON_TYPE, authorization: `Bearer ${session.token}` }));
    expect(bearer.status).toBe(201);
    // Another session's token does not fit this one.
    const other = await signIn(collector);
    expect((await browser(collector, session, keys, createKey({ 'x-observa-csrf': other.csrf }))).status).toBe(403);
  });

  it('refuses a login posted from another site', async () => {
    const host = new URL(collector.url).host;
    const crossSite = await login(collector, ADMIN_EMAIL, ADMIN_PASSWORD, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as any).error.message).toMatch(/Origin https:\/\/evil.example does not match/);
    expect((await login(collector, ADMIN_EMAIL, ADMIN_PASSWORD, { origin: `http://${host}` })).status).toBe(200);
  });
});

describe('logout everywhere, session list, password change', () => {
  it('logout-all revokes every session of the user, audited', async () => {
    const userId = await createUser(collector, 'everywhere@test.local', 'everywhere-password');
    const a = await signIn(collector, 'everywhere@test.local', 'everywhere-password');
    const b = await signIn(collector, 'everywhere@test.local', 'everywhere-password');
    expect((await browser(collector, b, '/api/v1/auth/me')).status).toBe(200); // b is cached as live
    const out = await browser(collector, a, '/api/v1/auth/logout-all', { method: 'POST', csrf: true });
    expect(out.status).toBe(200);
    expect(((await out.json()) as any).revoked_sessions).toBe(2);
    expect(out.headers.getSetCookie().every((c) => /^observa_(session|csrf)=;/.test(c))).toBe(true);
    expect(await eventually(async () => (await browser(collector, b, '/api/v1/auth/me')).status === 401, 5_500)).toBe(true);
    expect((await browser(collector, a, '/api/v1/auth/me')).status).toBe(401);
    const audit = await collector.db('audit_logs').where({ action: 'auth.logout_all' }).select('actor_user_id', 'details');
    expect(audit).toEqual([{ actor_user_id: userId, details: { revoked_sessions: 2, tenant_ids: [collector.tenantId] } }]);
  });

  it('lists the live sessions and revokes one; another user\'s session id answers 404', async () => {
    await createUser(collector, 'lister@test.local', 'lister-password');
    const a = await signIn(collector, 'lister@test.local', 'lister-password', { 'x-forwarded-for': '10.9.0.1' });
    const b = await signIn(collector, 'lister@test.local', 'lister-password', { 'x-forwarded-for': '10.9.0.2' });
    const sessionIdOf = async (s: Session) => ((await (await browser(collector, s, '/api/v1/auth/me')).json()) as any).session.id;
    const [idA, idB] = [await sessionIdOf(a), await sessionIdOf(b)];
    const list = ((await (await browser(collector, a, '/api/v1/auth/sessions')).json()) as any).data;
    expect(list.map((s: any) => [s.id, s.ip, s.current]).sort()).toEqual([[idA, '10.9.0.1', true], [idB, '10.9.0.2', false]].sort());
    expect(Object.keys(list[0]).sort()).toEqual(['created_at', 'current', 'expires_at', 'id', 'ip', 'last_seen_at']);

    const admin = await signIn(collector);
    expect((await browser(collector, admin, `/api/v1/auth/sessions/${idB}`, { method: 'DELETE', csrf: true })).status).toBe(404);
    expect((await browser(collector, a, '/api/v1/auth/sessions/not-a-uuid', { method: 'DELETE', csrf: true })).status).toBe(404);
    expect((await browser(collector, b, '/api/v1/auth/me')).status).toBe(200);
    expect((await browser(collector, a, `/api/v1/auth/sessions/${idB}`, { method: 'DELETE', csrf: true })).status).toBe(204);
    expect((await browser(collector, b, '/api/v1/auth/me')).status).toBe(401);
    expect(((await (await browser(collector, a, '/api/v1/auth/sessions')).json()) as any).data.map((s: any) => s.id)).toEqual([idA]);
  });

  it('changes the password after checking the current one and revokes the other sessions', async () => {
    await createUser(collector, 'changer@test.local', 'old-password-1234');
    const a = await signIn(collector, 'changer@test.local', 'old-password-1234');
    const b = await signIn(collector, 'changer@test.local', 'old-password-1234');
    const change = (body: unknown) => browser(collector, a, '/api/v1/auth/password', { method: 'POST', csrf: true, body: JSON.stringify(body) });
    const short = await change({ current_password: 'old-password-1234', new_password: 'short' });
    expect(short.status).toBe(400);
    expect(((await short.json()) as any).error.message).toBe('new_password must be at least 12 characters');
    expect((await change({ new_password: 'new-password-5678' })).status).toBe(400);
    const wrong = await change({ current_password: 'not-my-password', new_password: 'new-password-5678' });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as any).error.message).toBe('current_password is not correct');

    const ok = await change({ current_password: 'old-password-1234', new_password: 'new-password-5678' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).revoked_sessions).toBe(1);
    expect((await browser(collector, b, '/api/v1/auth/me')).status).toBe(401);
    expect((await browser(collector, a, '/api/v1/auth/me')).status).toBe(200);
    expect((await login(collector, 'changer@test.local', 'old-password-1234')).status).toBe(401);
    expect((await login(collector, 'changer@test.local', 'new-password-5678')).status).toBe(200);
    const audit = await collector.db('audit_logs').whereIn('action', ['auth.password.change', 'auth.password.change.failure']).orderBy('id');
    expect(audit.map((r) => r.action)).toEqual(['auth.password.change.failure', 'auth.password.change']);
    expect(JSON.stringify(audit)).not.toMatch(/password-1234|password-5678/);
  });
});

describe('login throttling', () => {
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('after 5 failures an account answers 429 with Retry-After, even for the right password; other accounts and IPs are unaffected', async () => {
    await createUser(collector, 'target@test.local', 'target-password');
    await createUser(collector, 'bystander@test.local', 'bystander-password');
    for (let i = 0; i < 5; i++) expect((await login(collector, 'Target@test.local', `guess-${i}`, from('10.1.0.1'))).status).toBe(401);
    const throttled = await login(collector, 'target@test.local', 'target-password', from('10.1.0.1'));
    expect(throttled.status).toBe(429);
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(890);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(((await throttled.json()) as any).error.message).toBe(`too many failed logins for this account: 5 in 15 minutes; retry in ${retryAfter} s`);
    // The account is throttled from any address; another account from another address is not.
    expect((await login(collector, 'target@test.local', 'target-password', from('10.1.0.2'))).status).toBe(429);
    expect((await login(collector, 'bystander@test.local', 'bystander-password', from('10.1.0.3'))).status).toBe(200);

    const audit = await collector.db('audit_logs').where({ target_id: 'target@test.local' }).orderBy('id').select('action', 'ip');
    expect(audit).toEqual([
      ...Array.from({ length: 5 }, () => ({ action: 'auth.login.failure', ip: '10.1.0.1' })),
      { action: 'auth.login.throttled', ip: '10.1.0.1' },
      { action: 'auth.login.throttled', ip: '10.1.0.2' },
    ]);
  });

  it('counts parallel attempts on one account: no more password checks than the limit', async () => {
    await createUser(collector, 'stormed@test.local', 'stormed-password');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(collector, 'stormed@test.local', 'nope', from(`10.5.${i}.1`))));
    expect(answers.filter((r) => r.status === 401)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(15);
    const { n } = (await collector.db('audit_logs').where({ target_id: 'stormed@test.local', action: 'auth.login.failure' }).count({ n: '*' }).first()) as { n: string | number };
    expect(Number(n)).toBe(5);
  });

  it('refuses an e-mail longer than any address with 400, not a failed insert', async () => {
    const answer = await login(collector, `${'x'.repeat(6000)}@test.local`, 'nope', from('10.6.0.1'));
    expect(answer.status).toBe(400);
  });

  it('counts an account\'s failures since its last successful login', async () => {
    await createUser(collector, 'forgetful@test.local', 'forgetful-password');
    for (let i = 0; i < 4; i++) await login(collector, 'forgetful@test.local', 'nope', from('10.2.0.1'));
    expect((await login(collector, 'forgetful@test.local', 'forgetful-password', from('10.2.0.1'))).status).toBe(200);
    // A second address, so the per-IP limit (8) stays out of the way.
    for (let i = 0; i < 4; i++) await login(collector, 'forgetful@test.local', 'nope', from('10.2.0.2'));
    expect((await login(collector, 'forgetful@test.local', 'forgetful-password', from('10.2.0.2'))).status).toBe(200);
  });

  it('throttles an address after 8 failures across accounts (OBSERVA_LOGIN_MAX_FAILURES_PER_IP)', async () => {
    await createUser(collector, 'sprayed@test.local', 'sprayed-password');
    for (let i = 0; i < 8; i++) expect((await login(collector, `nobody-${i}@test.local`, 'guess', from('10.3.0.1'))).status).toBe(401);
    const throttled = await login(collector, 'sprayed@test.local', 'sprayed-password', from('10.3.0.1'));
    expect(throttled.status).toBe(429);
    expect(((await throttled.json()) as any).error.message).toMatch(/^too many failed logins from this address: 8 in 15 minutes; retry in \d+ s$/);
    expect((await login(collector, 'sprayed@test.local', 'sprayed-password', from('10.3.0.2'))).status).toBe(200);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('two collectors on one database share the counts and see revocations within the 5 s cache (needs TEST_DATABASE_URL: PGlite belongs to one process)', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-second-'));
    const config = loadConfig({ OBSERVA_PORT: '0', OBSERVA_HOST: '127.0.0.1', OBSERVA_DATA_DIR: dataDir, DATABASE_URL: collector.config.databaseUrl!, OBSERVA_SECRET: collector.config.secret!, ...LIMITS });
    const second: Collector = await startCollector(config, { log: pino({ level: 'silent' }), analytics: new InMemoryAnalyticsStore() });
    try {
      await createUser(collector, 'shared@test.local', 'shared-password');
      for (let i = 0; i < 5; i++) await login(i % 2 ? collector : second, 'shared@test.local', 'nope', from('10.4.0.1'));
      expect((await login(second, 'shared@test.local', 'shared-password', from('10.4.0.2'))).status).toBe(429);
      expect((await login(collector, 'shared@test.local', 'shared-password', from('10.4.0.2'))).status).toBe(429);

      await createUser(collector, 'roaming@test.local', 'roaming-password');
      const here = await signIn(collector, 'roaming@test.local', 'roaming-password');
      const there = await signIn(second, 'roaming@test.local', 'roaming-password');
      expect((await browser(second, there, '/api/v1/auth/me')).status).toBe(200); // cached as live on the second process
      expect((await browser(collector, here, '/api/v1/auth/logout-all', { method: 'POST', csrf: true })).status).toBe(200);
      expect(await eventually(async () => (await browser(second, there, '/api/v1/auth/me')).status === 401, 5_500)).toBe(true);
    } finally {
      await second.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('sliding renewal', () => {
  // Idle 0.001 h = 3.6 s (renewal then writes at most every 0.36 s); absolute lifetime 1 h.
  let idle: TestCollector;
  beforeAll(async () => {
    idle = await startTestCollector({ env: { OBSERVA_SESSION_IDLE_HOURS: '0.001', OBSERVA_SESSION_TTL_HOURS: '1' }, analytics: new InMemoryAnalyticsStore() });
  });
  afterAll(async () => {
    await idle?.close();
  });
  const newestSession = () => idle.db('user_sessions').orderBy('created_at', 'desc').first();

  it('moves expires_at on use and re-sends the cookies; an idle session expires', async () => {
    const session = await signIn(idle);
    const before = await newestSession();
    expect(before.expires_at.getTime() - before.created_at.getTime()).toBe(3600);
    // Used every 0.5 s for longer than the idle timeout: still alive, expiry moving.
    const deadline = Date.now() + 5_000;
    let resent: string[] = [];
    while (Date.now() < deadline) {
      await sleep(500);
      const response = await browser(idle, session, '/api/v1/auth/me');
      expect(response.status).toBe(200);
      if (response.headers.getSetCookie().length) resent = response.headers.getSetCookie();
    }
    const after = await newestSession();
    expect(after.expires_at.getTime()).toBeGreaterThan(before.expires_at.getTime() + 3_000);
    expect(after.last_seen_at.getTime()).toBeGreaterThan(before.last_seen_at.getTime());
    expect(resent.map((c) => c.split('=')[0]).sort()).toEqual(['observa_csrf', 'observa_session']);
    expect(new Date(/expires=([^;]+)/.exec(resent[0])![1]).getTime()).toBeGreaterThan(before.expires_at.getTime());

    await sleep(4_000);
    expect((await browser(idle, session, '/api/v1/auth/me')).status).toBe(401);
  });

  it('never renews past the absolute lifetime', async () => {
    const session = await signIn(idle);
    // As if the session had been created 1 h minus 2 s ago: renewal may extend it by 2 s at most.
    const created = await newestSession();
    await idle.db('user_sessions').where({ id: created.id }).update({ created_at: idle.db.raw("now() - interval '3598 seconds'"), last_seen_at: idle.db.raw("now() - interval '1 minute'") });
    await sleep(500); // past the renewal interval (0.36 s) since login
    expect((await browser(idle, session, '/api/v1/auth/me')).status).toBe(200);
    const renewed = await idle.db('user_sessions').where({ id: created.id }).first();
    expect(renewed.expires_at.getTime()).toBe(renewed.created_at.getTime() + 3600_000);
  });
});
