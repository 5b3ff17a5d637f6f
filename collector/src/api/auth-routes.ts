/** POST /api/v1/auth/login -> httpOnly session cookie + {token}; POST /api/v1/auth/logout revokes it. */
import Router from '@koa/router';
import type { Knex } from 'knex';
import type { Guards } from '../access/guards.ts';
import { SESSION_COOKIE, type AuthState } from '../auth/authenticate.ts';
import type { UserSessions } from '../auth/user-sessions.ts';
import { badRequest, unauthorized } from '../http-error.ts';
import { recordAudit } from './audit.ts';

export function authRoutes(db: Knex, sessions: UserSessions, guards: Guards): Router {
  const router = new Router();

  router.post('/api/v1/auth/login', async (ctx) => {
    const { email, password } = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
      throw badRequest('send a JSON body {"email": "...", "password": "..."}');
    }
    const session = await sessions.login(email, password, ctx.ip);
    await recordAudit(db, {
      action: session ? 'auth.login.success' : 'auth.login.failure',
      actorUserId: session?.userId ?? null,
      ip: ctx.ip,
      targetType: 'user',
      targetId: email.toLowerCase(),
    });
    if (!session) throw unauthorized('email or password is not correct');
    ctx.cookies.set(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secure,
      expires: session.expiresAt,
      path: '/',
    });
    ctx.body = { token: session.token, user_id: session.userId, expires_at: session.expiresAt.toISOString() };
  });

  router.post('/api/v1/auth/logout', guards.anyone(), async (ctx) => {
    const { principal } = ctx.state.auth as AuthState;
    if (principal.kind === 'user') await sessions.logout(principal.sessionId);
    ctx.cookies.set(SESSION_COOKIE, null, { path: '/' });
    ctx.status = 204;
  });

  return router;
}
