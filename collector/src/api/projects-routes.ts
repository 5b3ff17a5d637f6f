/** GET /api/v1/projects; POST /api/v1/projects/:projectId/api-keys; DELETE .../api-keys/:keyId (revoke). */
import Router, { type RouterMiddleware } from '@koa/router';
import type { Knex } from 'knex';
import type { ApiKeys } from '../auth/api-keys.ts';
import type { AuthState } from '../auth/authenticate.ts';
import { SCOPES, type Scope } from '../auth/principal.ts';
import { badRequest, forbidden, notFound } from '../http-error.ts';
import { recordAudit } from './audit.ts';

/** Roles that may manage a project's keys (the full role table arrives with the control-plane issue). */
const KEY_MANAGERS = ['owner', 'admin', 'member'];

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

  /** The project with the signed-in user's role in it; other tenants' projects are "not found". */
  async function managedProject(auth: AuthState, projectId: string): Promise<{ tenant_id: string; role: string; userId: string }> {
    const { principal } = auth;
    if (principal.kind !== 'user') throw forbidden('API keys are managed by signed-in users, not by other keys');
    if (!/^[0-9a-f-]{36}$/i.test(projectId)) throw notFound(`project ${projectId} not found`);
    const project = await db('projects')
      .join('memberships', 'memberships.tenant_id', 'projects.tenant_id')
      .where({ 'projects.id': projectId, 'memberships.user_id': principal.userId })
      .first('projects.tenant_id', 'memberships.role');
    if (!project) throw notFound(`project ${projectId} not found`);
    if (!KEY_MANAGERS.includes(project.role)) throw forbidden(`role "${project.role}" may not manage API keys`);
    return { ...project, userId: principal.userId };
  }

  router.post('/api/v1/projects/:projectId/api-keys', requirePrincipal, async (ctx) => {
    const projectId = ctx.params.projectId;
    const project = await managedProject(ctx.state.auth, projectId);

    const { name, scopes } = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 200) throw badRequest('name must be a non-empty string of at most 200 characters');
    const requested = scopes === undefined ? ['ingest'] : scopes;
    if (!Array.isArray(requested) || requested.length === 0 || !requested.every((s) => SCOPES.includes(s as Scope))) {
      throw badRequest(`scopes must be a non-empty array of ${SCOPES.map((s) => `"${s}"`).join(', ')}`);
    }
    const created = await apiKeys.create({
      tenantId: project.tenant_id,
      projectId,
      name: name.trim(),
      scopes: [...new Set(requested as Scope[])],
      createdBy: project.userId,
    });
    await recordAudit(db, {
      action: 'api_key.create', tenantId: project.tenant_id, actorUserId: project.userId, ip: ctx.ip,
      targetType: 'api_key', targetId: created.id, details: { name: created.name, scopes: created.scopes, project_id: projectId },
    });
    ctx.status = 201;
    ctx.body = created;
  });

  router.delete('/api/v1/projects/:projectId/api-keys/:keyId', requirePrincipal, async (ctx) => {
    const { projectId, keyId } = ctx.params;
    const project = await managedProject(ctx.state.auth, projectId);
    const key = /^[0-9a-f-]{36}$/i.test(keyId) ? await db('api_keys').where({ id: keyId, project_id: projectId }).first('id') : null;
    if (!key) throw notFound(`API key ${keyId} not found in project ${projectId}`);
    await apiKeys.revoke(keyId);
    await recordAudit(db, { action: 'api_key.revoke', tenantId: project.tenant_id, actorUserId: project.userId, ip: ctx.ip, targetType: 'api_key', targetId: keyId });
    ctx.status = 204;
  });

  return router;
}
