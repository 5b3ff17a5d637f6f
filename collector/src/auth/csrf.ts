/**
 * CSRF protection for the JSON API. A browser attaches the session cookie to any request, including
 * one a hostile page triggers; it does not let that page read the CSRF token or set a custom header.
 * So a write whose credential is the session cookie must echo the session's token in `x-observa-csrf`.
 * Bearer and API-key requests are exempt: a header credential is never sent ambiently.
 * Login has no session yet; it refuses posts from another site (Origin not matching Host) instead.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { forbidden } from '../http-error.ts';
import type { Authenticator } from './authenticate.ts';
import { CSRF_COOKIE } from './session-cookies.ts';
import type { UserSessions } from './user-sessions.ts';

export const CSRF_HEADER = 'x-observa-csrf';
const LOGIN_PATH = '/api/v1/auth/login';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF tokens' own key, derived from the session-signing key (one key per purpose). */
export function csrfKeyFrom(signingKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', signingKey, '', 'observa csrf tokens', 32));
}

/** The session's CSRF token: an HMAC of its id, so it needs no storage and dies with the session. */
export function csrfTokenFor(key: Buffer, sessionId: string): string {
  return createHmac('sha256', key).update(sessionId).digest('base64url');
}

/** True when the Origin header names the host the request was sent to (`host` includes the port). */
export function originMatchesHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false; // "null" (sandboxed or privacy-sensitive contexts) or garbage
  }
}

function sameToken(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Mounted after the JSON body parser, before the API routes. */
export function csrfProtection(auth: Authenticator, sessions: UserSessions) {
  return async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith('/api/') || SAFE_METHODS.has(ctx.method)) return next();
    if (ctx.path === LOGIN_PATH) {
      const origin = ctx.get('origin');
      if (origin && !originMatchesHost(origin, ctx.host)) throw forbidden(`login refused: Origin ${origin} does not match this server (${ctx.host})`);
      return next();
    }
    // Only a cookie session is ambient; a cookie that is not a valid session is no credential at all
    // (the route's guard answers 401).
    const session = await auth.sessionOf(ctx);
    if (!session?.viaCookie) return next();
    const sent = ctx.get(CSRF_HEADER);
    if (!sent) throw forbidden(`missing ${CSRF_HEADER} header: cookie-authenticated writes must send the session's CSRF token (from login, GET /api/v1/auth/me or the ${CSRF_COOKIE} cookie)`);
    if (!sameToken(sent, sessions.csrfTokenOf(session.principal.sessionId))) throw forbidden(`${CSRF_HEADER} header does not match this session's CSRF token`);
    await next();
  };
}
