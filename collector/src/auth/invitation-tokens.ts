/**
 * One-time invitation tokens: 32 random bytes (base64url), shown once to the inviter. Only the SHA-256
 * is stored, so a leaked database does not hand out working links.
 */
import { createHash, randomBytes } from 'node:crypto';

const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: hashInvitationToken(token) };
}

/** True for strings that could be a token; anything else is refused before touching the database. */
export function isInvitationTokenShaped(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}
