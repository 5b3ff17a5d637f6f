/**
 * The signed-in user's own account: login (throttled), logout, logout everywhere, their sessions,
 * password change and who they are (GET /api/v1/auth/me, which also hands the dashboard its CSRF token).
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Context } from 'koa';
import type { Knex } from 'knex';
import { isUuid, userOf, type Guards } from '../access/guards.ts';
import type { AuthState } from '../auth/authenticate.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import { newPasswordOf } from '../auth/passwords.ts';
import { clearSessionCookies, setSessionCookies } from '../auth/session-cookies.ts';
import type { UserSessions } from '../auth/user-sessions.ts';
import { badRequest, HttpError, notFound, unauthorized } from '../http-error.ts';
import { recordAudit } from './audit.ts';

/** RFC 5321's limit on a forward path, and more than any e-mail address that exists. */
const MAX_EMAIL_LENGTH = 254;

export function authRoutes(db: Knex, sessions: UserSessions, throttle: LoginThrottle, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  /** Refuses (429 + Retry-After, audited) an attempt at a password when the account or IP is throttled. */
  async function admitPasswordAttempt(ctx: Context, email: string, actorUserId: string | null): Promise<void> {
    const throttled = await throttle.check(email, ctx.ip);
    if (!throttled) return;
    await recordAudit(db, {
      action: 'auth.login.throttled',
      actorUserId,
      ip: ctx.ip,
      targetType: 'user',
      targetId: email.toLowerCase(),
      details: { limit: throttled.limit, failures: throttled.failures, retry_after_seconds: throttled.retryAfterSeconds },
    });
    throw new HttpError(429, throttled.message, { 'retry-after': String(throttled.retryAfterSeconds) });
  }

  router.post('/api/v1/auth/login', async (ctx) => {
    const { email, password } = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      throw badRequest('send a JSON body {"email": "...", "password": "..."}');
    }
    if (email.length > MAX_EMAIL_LENGTH) throw badRequest(`email must be at most ${MAX_EMAIL_LENGTH} characters`);
    const session = await throttle.oneAtATime(email, async () => {
      await admitPasswordAttempt(ctx, email, null);
      const opened = await sessions.login(email, password, ctx.ip);
      await recordAudit(db, {
        action: opened ? 'auth.login.success' : 'auth.login.failure',
        actorUserId: opened?.userId ?? null,
        ip: ctx.ip,
        targetType: 'user',
        targetId: email.toLowerCase(),
      });
      return opened;
    });
    if (!session) throw unauthorized('email or password is not correct');
    setSessionCookies(ctx, session);
    ctx.body = { token: session.token, user_id: session.userId, expires_at: session.expiresAt.toISOString(), csrf_token: session.csrfToken };
  });

  router.post('/api/v1/auth/logout', guards.anyone(), async (ctx) => {
    const { principal } = ctx.state.auth as AuthState;
    if (principal.kind === 'user') await sessions.logout(principal.sessionId);
    clearSessionCookies(ctx);
    ctx.status = 204;
  });

  router.post('/api/v1/auth/logout-all', guards.signedIn(), async (ctx) => {
    const { userId } = userOf(ctx);
    const revoked = await db.transaction(async (trx) => {
      const count = await sessions.revokeAll(userId, null, trx);
      await recordAudit(trx, { action: 'auth.logout_all', actorUserId: userId, ip: ctx.ip, targetType: 'user', targetId: userId, details: { revoked_sessions: count } });
      return count;
    });
    clearSessionCookies(ctx);
    ctx.body = { revoked_sessions: revoked };
  });

  router.get('/api/v1/auth/sessions', guards.signedIn(), async (ctx) => {
    const { userId, sessionId } = userOf(ctx);
    ctx.body = { data: await sessions.list(userId, sessionId) };
  });

  router.delete('/api/v1/auth/sessions/:sessionId', guards.signedIn(), async (ctx) => {
    const { userId, sessionId: current } = userOf(ctx);
    const { sessionId } = ctx.params;
    // Another user's session answers like an unknown id.
    if (!isUuid(sessionId) || !(await sessions.revokeOwn(userId, sessionId))) throw notFound(`session ${sessionId} not found`);
    await recordAudit(db, { action: 'auth.session.revoke', actorUserId: userId, ip: ctx.ip, targetType: 'user_session', targetId: sessionId });
    if (sessionId === current) clearSessionCookies(ctx);
    ctx.status = 204;
  });

  router.post('/api/v1/auth/password', guards.signedIn(), async (ctx) => {
    const { userId, sessionId } = userOf(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const current = body.current_password;
    if (typeof current !== 'string' || !current) throw badRequest('current_password is required (a string)');
    const next = newPasswordOf(body.new_password, 'new_password');
    if (next === current) throw badRequest('new_password must differ from current_password');
    const { email } = await db('users').where({ id: userId }).first('email');
    // A stolen session must not become a way around the login throttle to guess the password.
    await admitPasswordAttempt(ctx, email, userId);
    if ((await sessions.checkPassword(email, current)) !== userId) {
      await recordAudit(db, { action: 'auth.password.change.failure', actorUserId: userId, ip: ctx.ip, targetType: 'user', targetId: email.toLowerCase() });
      throw badRequest('current_password is not correct');
    }
    const revoked = await sessions.changePassword(userId, next, sessionId);
    await recordAudit(db, { action: 'auth.password.change', actorUserId: userId, ip: ctx.ip, targetType: 'user', targetId: userId, details: { revoked_sessions: revoked } });
    ctx.body = { revoked_sessions: revoked };
  });

  router.get('/api/v1/auth/me', guards.signedIn(), async (ctx) => {
    const { userId, sessionId } = userOf(ctx);
    const user = await db('users').where({ id: userId }).first('id', 'email', 'name', 'is_instance_admin');
    const tenants = await db('memberships')
      .join('tenants', 'tenants.id', 'memberships.tenant_id')
      .where('memberships.user_id', userId)
      .orderBy('tenants.created_at')
      .select('tenants.id', 'tenants.slug', 'tenants.name', 'memberships.role');
    const expiresAt = await sessions.expiryOf(sessionId);
    // Revoked between the guard's (cached) check and now.
    if (!user || !expiresAt) throw unauthorized('session is not valid');
    ctx.body = {
      user,
      tenants,
      session: { id: sessionId, expires_at: expiresAt.toISOString(), csrf_token: sessions.csrfTokenOf(sessionId) },
    };
  });

  return router;
}
