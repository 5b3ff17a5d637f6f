/**
 * A signed-in user of a given role, for tests that need "an admin", "a viewer", "someone from another
 * tenant". Inserts the user and the membership directly (fast; the invitation flow has its own tests),
 * then signs in through POST /api/v1/auth/login as the dashboard does.
 *
 *   const viewer = await addMember(collector, { role: 'viewer' });
 *   await collector.request('/api/v1/traces', { headers: { authorization: `Bearer ${viewer.token}` } });
 *
 * The session is sent as a Bearer token, which needs no CSRF header.
 */
import { randomUUID } from 'node:crypto';
import type { Role } from '../access/permissions.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { TestCollector } from './test-collector.ts';

export interface TestMember {
  userId: string;
  email: string;
  password: string;
  /** The session token from login. */
  token: string;
}

export async function addMember(collector: TestCollector, options: { role: Role; tenantId?: string }): Promise<TestMember> {
  const userId = randomUUID();
  const email = `${options.role}-${userId.slice(0, 8)}@test.local`;
  const password = `password of ${email}`;
  await collector.db('users').insert({ id: userId, email, name: `Test ${options.role}`, password_hash: await hashPassword(password) });
  await collector.db('memberships').insert({ tenant_id: options.tenantId ?? collector.tenantId, user_id: userId, role: options.role });
  const response = await fetch(`${collector.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login of ${email} failed: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  return { userId, email, password, token };
}
