/**
 * Projects: GET /api/v1/projects (the caller's projects), POST /api/v1/tenants/:tenantId/projects,
 * GET and PATCH /api/v1/projects/:projectId (name, retention_days).
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { accessOf, projectAccessOf, type Guards } from '../access/guards.ts';
import type { AuthState } from '../auth/authenticate.ts';
import { badRequest, HttpError } from '../http-error.ts';
import { actorOf, recordAudit } from './audit.ts';
import { slugOf } from './slug.ts';
import { bodyFields, nameField } from './body-fields.ts';

export const MAX_RETENTION_DAYS = 3650;

const COLUMNS = ['projects.id', 'projects.tenant_id', 'projects.slug', 'projects.name', 'projects.retention_days', 'projects.created_at'];

function toProject(row: Record<string, any>) {
  return { id: row.id, tenant_id: row.tenant_id, slug: row.slug, name: row.name, retention_days: Number(row.retention_days), created_at: new Date(row.created_at).toISOString(), ...(row.role ? { role: row.role } : {}) };
}

function retentionOf(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_RETENTION_DAYS) throw badRequest(`retention_days must be an integer from 1 to ${MAX_RETENTION_DAYS}`);
  return value as number;
}

export function projectsRoutes(db: Knex, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  router.get('/api/v1/projects', guards.anyone(), async (ctx) => {
    const { principal } = ctx.state.auth as AuthState;
    const query = db('projects').select(COLUMNS).orderBy('projects.created_at');
    if (principal.kind === 'api_key') {
      query.where({ 'projects.id': principal.projectId, 'projects.tenant_id': principal.tenantId });
    } else {
      query.join('memberships', 'memberships.tenant_id', 'projects.tenant_id').where('memberships.user_id', principal.userId).select('memberships.role');
    }
    ctx.body = { data: (await query).map(toProject) };
  });

  router.post('/api/v1/tenants/:tenantId/projects', guards.tenant('projects:create'), async (ctx) => {
    const { tenantId } = accessOf(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const name = nameField(body.name);
    const slug = slugOf(body.slug, name, 'project');
    const retention = body.retention_days === undefined ? 30 : retentionOf(body.retention_days);
    const id = randomUUID();
    const project = await db.transaction(async (trx) => {
      const inserted = await trx('projects').insert({ id, tenant_id: tenantId, slug, name, retention_days: retention }).onConflict(['tenant_id', 'slug']).ignore().returning(COLUMNS.map((c) => c.slice('projects.'.length)));
      if (inserted.length === 0) throw new HttpError(409, `a project with slug "${slug}" already exists in this tenant`);
      await recordAudit(trx, { ...actorOf(ctx), action: 'project.create', targetType: 'project', targetId: id, details: { name, slug, retention_days: retention } });
      return inserted[0];
    });
    ctx.status = 201;
    ctx.body = toProject(project);
  });

  router.get('/api/v1/projects/:projectId', guards.project('project:read'), async (ctx) => {
    const row = await db('projects').where({ id: projectAccessOf(ctx).projectId }).first(COLUMNS);
    ctx.body = toProject({ ...row, role: projectAccessOf(ctx).role });
  });

  router.patch('/api/v1/projects/:projectId', guards.project('project:settings'), async (ctx) => {
    const { projectId } = projectAccessOf(ctx);
    const body = bodyFields(ctx.request.body, ['name', 'retention_days']);
    const update: Record<string, unknown> = {};
    if (body.name !== undefined) update.name = nameField(body.name);
    if (body.retention_days !== undefined) update.retention_days = retentionOf(body.retention_days);
    if (Object.keys(update).length === 0) throw badRequest('nothing to change: send name and/or retention_days');
    const row = await db.transaction(async (trx) => {
      // Locked, so the audited "before" is what this update replaced.
      const before = await trx('projects').where({ id: projectId }).forUpdate().first('name', 'retention_days');
      const [updated] = await trx('projects').where({ id: projectId }).update(update).returning(COLUMNS.map((c) => c.slice('projects.'.length)));
      await recordAudit(trx, {
        ...actorOf(ctx), action: 'project.update', targetType: 'project', targetId: projectId,
        details: { before: { name: before.name, retention_days: before.retention_days }, after: update },
      });
      return updated;
    });
    ctx.body = toProject(row);
  });

  return router;
}
