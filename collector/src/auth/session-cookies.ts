/**
 * The browser's side of a dashboard session: the httpOnly session cookie and the readable CSRF cookie,
 * set at login, re-sent whenever renewal slides the session's expiry, cleared at logout.
 */
import type { Context, Next } from 'koa';
import { SESSION_COOKIE, type Authenticator } from './authenticate.ts';
import type { UserSessions } from './user-sessions.ts';

/** Readable by the dashboard's script (not httpOnly), which copies it into the x-observa-csrf header. */
export const CSRF_COOKIE = 'observa_csrf';

export function setSessionCookies(ctx: Context, session: { token: string; csrfToken: string; expiresAt: Date }): void {
  // Secure on https (ctx.secure follows X-Forwarded-Proto when OBSERVA_TRUST_PROXY is set).
  const options = { sameSite: 'lax' as const, secure: ctx.secure, expires: session.expiresAt, path: '/', overwrite: true };
  ctx.cookies.set(SESSION_COOKIE, session.token, { ...options, httpOnly: true });
  ctx.cookies.set(CSRF_COOKIE, session.csrfToken, { ...options, httpOnly: false });
}

export function clearSessionCookies(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, null, { path: '/', overwrite: true });
  ctx.cookies.set(CSRF_COOKIE, null, { path: '/', overwrite: true });
}

/**
 * Sliding renewal: each API request made with a live session moves its idle expiry forward (written
 * about once a minute) before the route runs; a cookie session gets its cookies back with the new expiry.
 */
export function slidingSessions(auth: Authenticator, sessions: UserSessions) {
  return async (ctx: Context, next: Next) => {
    const session = ctx.path.startsWith('/api/') ? await auth.sessionOf(ctx) : null;
    if (session) {
      const { sessionId } = session.principal;
      const expiresAt = await sessions.renew(sessionId);
      if (expiresAt && session.viaCookie) setSessionCookies(ctx, { token: session.token, csrfToken: sessions.csrfTokenOf(sessionId), expiresAt });
    }
    await next();
  };
}
