/** Which control-plane errors are an outage (503, retry) and which are bugs (500). */
import { expect, it } from 'vitest';
import { isControlPlaneUnavailable } from './unavailable.ts';

const withCode = (code: string, name = 'error') => Object.assign(new Error(`failed (${code})`), { code, name });

it('treats lost connections, shutdowns, pool timeouts and conflicts as retryable', () => {
  for (const code of ['08006', '08001', '57P01', '57P03', '40001', '53300', 'ECONNREFUSED', 'ECONNRESET']) expect(isControlPlaneUnavailable(withCode(code)), code).toBe(true);
  expect(isControlPlaneUnavailable(Object.assign(new Error('Knex: Timeout acquiring a connection'), { name: 'KnexTimeoutError' }))).toBe(true);
  expect(isControlPlaneUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
});

it('treats a protocol violation and other SQL errors as bugs: a retry would fail the same way', () => {
  for (const code of ['08P01', '23505', '42P01', '22P02']) expect(isControlPlaneUnavailable(withCode(code)), code).toBe(false);
  expect(isControlPlaneUnavailable('not an error')).toBe(false);
});
