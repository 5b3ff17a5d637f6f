/**
 * Koa middleware that turns credentials into a principal and a project scope. Ingestion takes API keys
 * only; the read API takes a key with the `read` scope or a dashboard session (cookie or Bearer).
 */
import type { Context, Next } from 'koa';
import type { Knex } from 'knex';
import { forbidden, unauthorized, badRequest, notFound } from '../http-error.ts';
import type { ApiKeys } from './api-keys.ts';
import type { ApiKeyPrincipal, Principal, Scope } from './principal.ts';
import type { UserSessions } from './user-sessions.ts';

export const SESSION_COOKIE = 'observa_session';

export interface ProjectScope {
  tenantId: string;
  projectId: string;
}

export interface AuthState {
  principal: Principal;
  project?: ProjectScope;
}

/** The credential a request carries, in the order the API documents. */
function credentialOf(ctx: Context): string | null {
  const header = ctx.get('authorization');
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer) return bearer[1].trim();
  const apiKey = ctx.get('x-observa-api-key');
  if (apiKey) return apiKey.trim();
  return ctx.cookies.get(SESSION_COOKIE) ?? null;
}

export class Authenticator {
  constructor(
    private readonly db: Knex,
    private readonly apiKeys: ApiKeys,
    private readonly sessions: UserSessions,
  ) {}

  /** For ingestion: a live API key carrying `scope`. */
  requireKey(scope: Scope) {
    return async (ctx: Context, next: Next) => {
      const credential = credentialOf(ctx);
      if (!credential) throw unauthorized('missing API key: send "Authorization: Bearer <key>" or "x-observa-api-key: <key>"');
      const result = await this.apiKeys.verify(credential);
      if ('refused' in result) throw unauthorized(result.refused);
      if (!result.scopes.includes(scope)) throw forbidden(`API key lacks the "${scope}" scope`);
      ctx.state.auth = { principal: result, project: { tenantId: result.tenantId, projectId: result.projectId } } satisfies AuthState;
      await next();
    };
  }

  /** Any signed-in user or key; the route decides what it may see. */
  requirePrincipal() {
    return async (ctx: Context, next: Next) => {
      ctx.state.auth = { principal: await this.principalOf(ctx) } satisfies AuthState;
      await next();
    };
  }

  /**
   * For project-scoped routes: a key carrying one of `keyScopes` is bound to its project; a user picks
   * the project with `?project_id=` or `x-observa-project-id` (optional when they can see exactly one).
   */
  requireProject(keyScopes: readonly Scope[] = ['read']) {
    return async (ctx: Context, next: Next) => {
      const principal = await this.principalOf(ctx);
      if (principal.kind === 'api_key') {
        if (!keyScopes.some((s) => principal.scopes.includes(s))) throw forbidden(`API key lacks the ${keyScopes.map((s) => `"${s}"`).join(' or ')} scope`);
        ctx.state.auth = { principal, project: { tenantId: principal.tenantId, projectId: principal.projectId } } satisfies AuthState;
      } else {
        const requested = String(ctx.query.project_id ?? ctx.get('x-observa-project-id') ?? '') || null;
        ctx.state.auth = { principal, project: await this.userProject(principal.userId, requested) } satisfies AuthState;
      }
      await next();
    };
  }

  private async principalOf(ctx: Context): Promise<Principal> {
    const credential = credentialOf(ctx);
    if (!credential) throw unauthorized('sign in, or send an API key as "Authorization: Bearer <key>"');
    const user = await this.sessions.verify(credential);
    if (user) return user;
    const key = await this.apiKeys.verify(credential);
    if ('refused' in key) throw unauthorized(key.refused === 'API key is not valid' ? 'session or API key is not valid' : key.refused);
    return key satisfies ApiKeyPrincipal;
  }

  private async userProject(userId: string, requested: string | null): Promise<ProjectScope> {
    const query = this.db('projects')
      .join('memberships', 'memberships.tenant_id', 'projects.tenant_id')
      .where('memberships.user_id', userId)
      .select('projects.id', 'projects.tenant_id')
      .orderBy('projects.created_at');
    if (requested) {
      if (!/^[0-9a-f-]{36}$/i.test(requested)) throw badRequest('project_id must be a project id (uuid)');
      const project = await query.where('projects.id', requested).first();
      // Same answer for "does not exist" and "not yours": ids of other tenants are not confirmed.
      if (!project) throw notFound(`project ${requested} not found`);
      return { tenantId: project.tenant_id, projectId: project.id };
    }
    const projects = await query.limit(2);
    if (projects.length === 0) throw forbidden('you are not a member of any project');
    if (projects.length > 1) throw badRequest('you can see several projects: choose one with ?project_id= or the x-observa-project-id header');
    return { tenantId: projects[0].tenant_id, projectId: projects[0].id };
  }
}
