/** GET /api/v1/projects; POST /api/v1/projects/:projectId/api-keys; DELETE .../api-keys/:keyId (revoke). */
import Router, { type RouterMiddleware } from '@koa/router';
import type { Knex } from 'knex';
import type { ApiKeys } from '../auth/api-keys.ts';
import type { AuthState } from '../auth/authenticate.ts';
import { SCOPES, type Scope } from '../auth/principal.ts';
import { badRequest, notFound } from '../http-error.ts';
import { userProjectAccess, type Role } from './project-access.ts';
import { recordAudit } from './audit.ts';

/** Roles that may manage a project's keys. */
const KEY_MANAGERS: readonly Role[] = ['owner', 'admin', 'member'];

export function projectsRoutes(db: Knex, apiKeys: ApiKeys, requirePrincipal: RouterMiddleware): Router {
  const router = new Router();

  router.get('/api/v1/projects', requirePrincipal, async (ctx) => {
    const { principal } = ctx.state.auth as AuthState;
    const query = db('projects').select('projects.id', 'projects.tenant_id', 'projects.slug', 'projects.name', 'projects.retention_days', 'projects.created_at').orderBy('projects.created_at');
    if (principal.kind === 'api_key') {
      query.where({ 'projects.id': principal.projectId, 'projects.tenant_id': principal.tenantId });
    } else {
      query.join('memberships', 'memberships.tenant_id', 'projects.tenant_id').where('memberships.user_id', principal.userId).select('memberships.role');
    }
    const rows = await query;
    ctx.body = { data: rows.map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() })) };
  });

  router.post('/api/v1/projects/:projectId/api-keys', requirePrincipal, async (ctx) => {
    const projectId = ctx.params.projectId;
    const project = await userProjectAccess(db, ctx.state.auth, projectId, KEY_MANAGERS, 'manage API keys');

    const { name, scopes } = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) throw badRequest('name must be a non-empty string of at most 200 characters');
    const requested = scopes === undefined ? ['ingest'] : scopes;
    if (!Array.isArray(requested) || requested.length === 0 || !requested.every((s) => SCOPES.includes(s as Scope))) {
      throw badRequest(`scopes must be a non-empty array of ${SCOPES.map((s) => `"${s}"`).join(', ')}`);
    }
    const created = await apiKeys.create({
      tenantId: project.tenantId,
      projectId,
      name: name.trim(),
      scopes: [...new Set(requested as Scope[])],
      createdBy: project.userId,
    });
    await recordAudit(db, {
      action: 'api_key.create', tenantId: project.tenantId, actorUserId: project.userId, ip: ctx.ip,
      targetType: 'api_key', targetId: created.id, details: { name: created.name, scopes: created.scopes, project_id: projectId },
    });
    ctx.status = 201;
    ctx.body = created;
  });

  router.delete('/api/v1/projects/:projectId/api-keys/:keyId', requirePrincipal, async (ctx) => {
    const { projectId, keyId } = ctx.params;
    const project = await userProjectAccess(db, ctx.state.auth, projectId, KEY_MANAGERS, 'manage API keys');
    const key = /^[0-9a-f-]{36}$/i.test(keyId) ? await db('api_keys').where({ id: keyId, project_id: projectId }).first('id') : null;
    if (!key) throw notFound(`API key ${keyId} not found in project ${projectId}`);
    await apiKeys.revoke(keyId);
    await recordAudit(db, { action: 'api_key.revoke', tenantId: project.tenantId, actorUserId: project.userId, ip: ctx.ip, targetType: 'api_key', targetId: keyId });
    ctx.status = 204;
  });

  return router;
}
