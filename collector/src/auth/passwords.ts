/** Password hashing with scrypt (node:crypto), stored as `scrypt$N$r$p$salt$hash` so parameters can be raised later. */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { badRequest } from '../http-error.ts';

export const MIN_PASSWORD_LENGTH = 12;
/** scrypt hashes any length; the cap only keeps a single request cheap. */
export const MAX_PASSWORD_LENGTH = 1024;

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: Number(N), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** `value` as a new password, or 400 naming `field` when it is not a string of an accepted length. */
export function newPasswordOf(value: unknown, field: string): string {
  if (typeof value !== 'string') throw badRequest(`${field} is required (a string)`);
  if (value.length < MIN_PASSWORD_LENGTH) throw badRequest(`${field} must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (value.length > MAX_PASSWORD_LENGTH) throw badRequest(`${field} must be at most ${MAX_PASSWORD_LENGTH} characters`);
  return value;
}

/** A password for the first admin when none is configured: printed once, never stored in clear. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}
