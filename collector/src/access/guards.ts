/**
 * The guards routes name next to their paths. Each resolves who is calling and on what (a project, a
 * tenant or the instance), checks the PERMISSIONS table, and leaves the answer in ctx.state.access.
 * Ids the caller may not see answer 404, never 403, so other tenants' ids are not confirmed.
 */
import type { RouterMiddleware } from '@koa/router';
import type { Context } from 'koa';
import type { Knex } from 'knex';
import type { AuthState, Authenticator } from '../auth/authenticate.ts';
import type { Principal, UserPrincipal } from '../auth/principal.ts';
import { badRequest, forbidden, notFound } from '../http-error.ts';
import { PERMISSIONS, roleAtLeast, type Permission, type Role } from './permissions.ts';

/** What a guard established: the tenant (and project) acted on, and who acts. */
export interface Access {
  tenantId: string;
  projectId: string | null;
  /** The user's role in the tenant; null for API keys. */
  role: Role | null;
  userId: string | null;
  apiKeyId: string | null;
}

export interface ProjectAccess extends Access {
  projectId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export function accessOf(ctx: Context): Access {
  return ctx.state.access as Access;
}

export function projectAccessOf(ctx: Context): ProjectAccess {
  return ctx.state.access as ProjectAccess;
}

export function userOf(ctx: Context): UserPrincipal {
  return (ctx.state.auth as AuthState).principal as UserPrincipal;
}

export class Guards {
  constructor(
    private readonly db: Knex,
    private readonly auth: Authenticator,
    /** Runs once a guard has resolved the tenant (the per-tenant API rate limit); may throw to refuse. */
    private readonly admitTenant: (ctx: Context) => Promise<void> = async () => {},
  ) {}

  /** Any live session or API key; the route scopes what it returns to the caller. */
  anyone(): RouterMiddleware {
    return async (ctx, next) => {
      await this.identify(ctx);
      await next();
    };
  }

  /** A signed-in dashboard user (their own account: password, sessions, invitations). */
  signedIn(): RouterMiddleware {
    return async (ctx, next) => {
      await this.user(ctx, 'this route is for signed-in users, not API keys');
      await next();
    };
  }

  /** An instance administrator (creates tenants, sets quotas). */
  instanceAdmin(): RouterMiddleware {
    return async (ctx, next) => {
      const principal = await this.user(ctx, 'only instance administrators may do this, not API keys');
      const user = await this.db('users').where({ id: principal.userId }).first('is_instance_admin');
      if (!user?.is_instance_admin) throw forbidden('only instance administrators may do this');
      ctx.state.access = { tenantId: '', projectId: null, role: null, userId: principal.userId, apiKeyId: null } satisfies Access;
      await next();
    };
  }

  /**
   * A project the caller holds `permission` on: `:projectId` in the path, else the key's project, else
   * the user's choice (`?project_id=` or `x-observa-project-id`, optional when they see one project).
   */
  project(permission: Permission): RouterMiddleware {
    const rule = PERMISSIONS[permission];
    return async (ctx, next) => {
      const principal = await this.identify(ctx);
      const inPath: string | undefined = ctx.params?.projectId;
      const chosen = inPath ?? (String(ctx.query.project_id ?? ctx.get('x-observa-project-id') ?? '') || null);
      if (principal.kind === 'api_key') {
        if (rule.keyScopes.length === 0) throw forbidden(`API keys may not ${rule.action}; sign in to the dashboard`);
        // A key is bound to one project: naming any other is answered like an unknown id.
        if (chosen !== null && chosen !== principal.projectId) throw notFound(`project ${chosen} not found`);
        if (!rule.keyScopes.some((s) => principal.scopes.includes(s))) throw forbidden(`API key lacks the ${rule.keyScopes.map((s) => `"${s}"`).join(' or ')} scope`);
        ctx.state.access = { tenantId: principal.tenantId, projectId: principal.projectId, role: null, userId: null, apiKeyId: principal.keyId } satisfies ProjectAccess;
      } else {
        const { tenantId, projectId, role } = await this.userProject(principal.userId, chosen, inPath !== undefined);
        if (!roleAtLeast(role, rule.minRole)) throw forbidden(`role "${role}" may not ${rule.action}`);
        ctx.state.access = { tenantId, projectId, role, userId: principal.userId, apiKeyId: null } satisfies ProjectAccess;
      }
      await this.admitTenant(ctx);
      await next();
    };
  }

  /**
   * The tenant in `:tenantId` (with from 'query': in `?tenant_id=`, optional for a member of exactly
   * one tenant), for a signed-in member holding `permission`.
   */
  tenant(permission: Permission, from: 'path' | 'query' = 'path'): RouterMiddleware {
    const rule = PERMISSIONS[permission];
    return async (ctx, next) => {
      const principal = await this.user(ctx, `only signed-in users may ${rule.action}, not API keys`);
      const tenantId: string = from === 'path' ? ctx.params.tenantId : await this.tenantInQuery(ctx, principal.userId);
      const row = isUuid(tenantId) ? await this.db('memberships').where({ tenant_id: tenantId, user_id: principal.userId }).first('role') : null;
      if (!row) throw notFound(`tenant ${tenantId} not found`);
      if (!roleAtLeast(row.role, rule.minRole)) throw forbidden(`role "${row.role}" may not ${rule.action}`);
      ctx.state.access = { tenantId, projectId: null, role: row.role, userId: principal.userId, apiKeyId: null } satisfies Access;
      await this.admitTenant(ctx);
      await next();
    };
  }

  /** Who calls (401 when nobody valid), recorded in ctx.state.auth for the route. */
  private async identify(ctx: Context): Promise<Principal> {
    const principal = await this.auth.identify(ctx);
    ctx.state.auth = { principal } satisfies AuthState;
    return principal;
  }

  /** A signed-in user; an API key gets 403 with `refusal`. */
  private async user(ctx: Context, refusal: string): Promise<UserPrincipal> {
    const principal = await this.identify(ctx);
    if (principal.kind !== 'user') throw forbidden(refusal);
    return principal;
  }

  private async tenantInQuery(ctx: Context, userId: string): Promise<string> {
    const raw = ctx.query.tenant_id;
    if (Array.isArray(raw)) throw badRequest('tenant_id may be given once');
    if (raw) {
      if (!isUuid(raw)) throw badRequest('tenant_id must be a tenant id (uuid)');
      return raw;
    }
    const tenants: string[] = await this.db('memberships').where({ user_id: userId }).limit(2).pluck('tenant_id');
    if (tenants.length === 0) throw forbidden('you are not a member of any tenant');
    if (tenants.length > 1) throw badRequest('you belong to several tenants: choose one with ?tenant_id=');
    return tenants[0];
  }

  private async userProject(userId: string, requested: string | null, fromPath: boolean): Promise<{ tenantId: string; projectId: string; role: Role }> {
    const query = this.db('projects')
      .join('memberships', 'memberships.tenant_id', 'projects.tenant_id')
      .where('memberships.user_id', userId)
      .select('projects.id', 'projects.tenant_id', 'memberships.role')
      .orderBy('projects.created_at');
    if (requested !== null) {
      if (!isUuid(requested)) throw fromPath ? notFound(`project ${requested} not found`) : badRequest('project_id must be a project id (uuid)');
      const project = await query.where('projects.id', requested).first();
      // Same answer for "does not exist" and "not yours".
      if (!project) throw notFound(`project ${requested} not found`);
      return { tenantId: project.tenant_id, projectId: project.id, role: project.role };
    }
    const projects = await query.limit(2);
    if (projects.length === 0) throw forbidden('you are not a member of any project');
    if (projects.length > 1) throw badRequest('you can see several projects: choose one with ?project_id= or the x-observa-project-id header');
    return { tenantId: projects[0].tenant_id, projectId: projects[0].id, role: projects[0].role };
  }
}

