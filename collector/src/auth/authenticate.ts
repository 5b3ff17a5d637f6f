/**
 * Turns the credential a request carries into a principal. Ingestion takes API keys only (requireKey);
 * the JSON API's guards (access/guards.ts) take a dashboard session (cookie or Bearer) or a key.
 */
import type { Context, Next } from 'koa';
import type { ProjectAccess } from '../access/guards.ts';
import type { AdmissionContext } from '../app/admission-context.ts';
import { forbidden, unauthorized } from '../http-error.ts';
import type { ApiKeys } from './api-keys.ts';
import type { ApiKeyPrincipal, Principal, Scope, UserPrincipal } from './principal.ts';
import type { UserSessions } from './user-sessions.ts';

export const SESSION_COOKIE = 'observa_session';

export interface AuthState {
  principal: Principal;
}

/**
 * The credential a request carries, in the order the API documents (Bearer, then x-observa-api-key,
 * then the session cookie), and whether it came from the cookie (an ambient credential, which CSRF
 * protection and cookie renewal care about). The one place this order is decided.
 */
export function credentialOf(ctx: Pick<AdmissionContext, 'get' | 'cookies'>): { token: string; viaCookie: boolean } | null {
  const bearer = /^Bearer\s+(.+)$/i.exec(ctx.get('authorization'));
  if (bearer) return { token: bearer[1].trim(), viaCookie: false };
  const apiKey = ctx.get('x-observa-api-key');
  if (apiKey) return { token: apiKey.trim(), viaCookie: false };
  const cookie = ctx.cookies.get(SESSION_COOKIE);
  return cookie ? { token: cookie, viaCookie: true } : null;
}

/** A request's session credential with its verified claims (signature and type; liveness is separate). */
export interface SessionCredential {
  token: string;
  viaCookie: boolean;
  principal: UserPrincipal;
}

export class Authenticator {
  constructor(
    private readonly apiKeys: ApiKeys,
    private readonly sessions: UserSessions,
  ) {}

  /** For ingestion (an admission step, over HTTP and gRPC): a live API key carrying `scope`. */
  requireKey(scope: Scope) {
    return async (ctx: AdmissionContext, next: Next) => {
      const credential = credentialOf(ctx);
      if (!credential) throw unauthorized('missing API key: send "Authorization: Bearer <key>" or "x-observa-api-key: <key>"');
      const result = await this.apiKeys.verify(credential.token);
      if ('refused' in result) throw unauthorized(result.refused);
      if (!result.scopes.includes(scope)) throw forbidden(`API key lacks the "${scope}" scope`);
      ctx.state.auth = { principal: result } satisfies AuthState;
      ctx.state.access = { tenantId: result.tenantId, projectId: result.projectId, role: null, userId: null, apiKeyId: result.keyId } satisfies ProjectAccess;
      await next();
    };
  }

  /**
   * The request's session, when its credential is a session JWT: verified once per request and kept in
   * ctx.state, since CSRF protection, sliding renewal and the route's guard all ask.
   */
  async sessionOf(ctx: Context): Promise<SessionCredential | null> {
    if (ctx.state.session !== undefined) return ctx.state.session;
    const credential = credentialOf(ctx);
    const principal = credential ? await this.sessions.claimsOf(credential.token) : null;
    const session: SessionCredential | null = credential && principal ? { ...credential, principal } : null;
    ctx.state.session = session;
    return session;
  }

  /** The session or API key a request carries; 401 when there is none or it is not valid. */
  async identify(ctx: Context): Promise<Principal> {
    const credential = credentialOf(ctx);
    if (!credential) throw unauthorized('sign in, or send an API key as "Authorization: Bearer <key>"');
    const session = await this.sessionOf(ctx);
    if (session && (await this.sessions.isLive(session.principal.sessionId))) return session.principal;
    const key = await this.apiKeys.verify(credential.token);
    if ('refused' in key) throw unauthorized(key.refused === 'API key is not valid' ? 'session or API key is not valid' : key.refused);
    return key satisfies ApiKeyPrincipal;
  }
}
