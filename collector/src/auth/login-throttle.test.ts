import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestControlPlane, type TestControlPlane } from '../testing/test-control-plane.ts';
import { LoginThrottle } from './login-throttle.ts';

let cp: TestControlPlane;
let throttle: LoginThrottle;

beforeAll(async () => {
  cp = await openTestControlPlane();
  throttle = new LoginThrottle(cp.db, { maxFailuresPerAccount: 5, maxFailuresPerIp: 3 });
});

afterAll(async () => {
  await cp?.close();
});

/** Audit rows as the login route writes them, `minutesAgo` before the database's now(). */
async function audit(action: string, email: string, ip: string, ...minutesAgo: number[]): Promise<void> {
  for (const m of minutesAgo) {
    await cp.db('audit_logs').insert({ action, target_type: 'user', target_id: email, ip, created_at: cp.db.raw('now() - make_interval(secs => ?)', [m * 60]) });
  }
}

it('throttles an account at 5 failures until the 5th most recent leaves the 15-minute window', async () => {
  await audit('auth.login.failure', 'a@test.local', '10.0.0.1', 14.5, 14, 10, 5);
  expect(await throttle.check('a@test.local', '10.0.0.2')).toBeNull();
  await audit('auth.login.failure', 'a@test.local', '10.0.0.2', 2, 0);
  const throttled = await throttle.check('A@test.local', '10.0.0.3');
  expect(throttled).toMatchObject({ limit: 'account', failures: 5 });
  // Six failures: the count drops below five when the one from 14 minutes ago leaves (about 60 s), not the oldest (30 s).
  expect(throttled!.retryAfterSeconds).toBeGreaterThanOrEqual(59);
  expect(throttled!.retryAfterSeconds).toBeLessThanOrEqual(60);
  expect(throttled!.message).toBe(`too many failed logins for this account: 5 in 15 minutes; retry in ${throttled!.retryAfterSeconds} s`);
});

it('ignores failures older than the window and those before the last successful login', async () => {
  await audit('auth.login.failure', 'old@test.local', '10.1.0.1', 20, 19, 18, 17, 16);
  expect(await throttle.check('old@test.local', '10.1.0.9')).toBeNull();
  await audit('auth.login.failure', 'back@test.local', '10.1.1.1', 9, 8, 7);
  await audit('auth.login.success', 'back@test.local', '10.1.1.1', 6);
  await audit('auth.login.failure', 'back@test.local', '10.1.1.2', 5, 4);
  expect(await throttle.check('back@test.local', '10.1.1.9')).toBeNull();
});

it('counts wrong current passwords at password change as failures of the account', async () => {
  await audit('auth.password.change.failure', 'c@test.local', '10.2.0.1', 3);
  await audit('auth.login.failure', 'c@test.local', '10.2.0.2', 2);
  await audit('auth.login.failure', 'c@test.local', '10.2.0.3', 1);
  await audit('auth.login.failure', 'c@test.local', '10.2.0.4', 1);
  expect(await throttle.check('c@test.local', '10.2.0.9')).toBeNull();
  await audit('auth.password.change.failure', 'c@test.local', '10.2.0.5', 0);
  expect(await throttle.check('c@test.local', '10.2.0.9')).toMatchObject({ limit: 'account' });
});

it('throttles an address at its own limit across accounts, whoever logs in from it', async () => {
  await audit('auth.login.failure', 'x@test.local', '10.3.0.1', 12);
  await audit('auth.login.failure', 'y@test.local', '10.3.0.1', 6);
  expect(await throttle.check('z@test.local', '10.3.0.1')).toBeNull();
  await audit('auth.login.failure', 'z@test.local', '10.3.0.1', 1);
  const throttled = await throttle.check('innocent@test.local', '10.3.0.1');
  expect(throttled).toMatchObject({ limit: 'ip', failures: 3 });
  expect(throttled!.retryAfterSeconds).toBeGreaterThanOrEqual(179);
  expect(throttled!.retryAfterSeconds).toBeLessThanOrEqual(180);
  expect(throttled!.message).toMatch(/^too many failed logins from this address: 3 in 15 minutes; retry in 1[78]\d s$/);
  expect(await throttle.check('innocent@test.local', '10.3.0.2')).toBeNull();
});
