/**
 * Deleting data: DELETE /api/v1/traces/:traceId, /api/v1/sessions/:sessionId and /api/v1/users/:userId
 * (an app end user's data, for privacy requests: every trace whose user_id is theirs, and every span
 * carrying their id), DELETE /api/v1/projects/:projectId, and GET /api/v1/deletions/:deletionId.
 * The control-plane rows go at once; the spans go from the analytics store in the background
 * (retention/deletion-executor.ts). Each answers 202 {deletion_id, status, removed}.
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Context } from 'koa';
import type { Knex } from 'knex';
import { isUuid, projectAccessOf, type Guards } from '../access/guards.ts';
import { badRequest, notFound } from '../http-error.ts';
import { toDeletion, type DeletionJob, type RequestedKind } from '../retention/deletion-jobs.ts';
import { requestDeletion } from '../retention/request-deletion.ts';
import { traceId } from './traces-routes.ts';

/** The canonical event schema's limit for session_id and user_id. */
const MAX_ID = 512;

function freeId(name: string, raw: string): string {
  if (raw === '' || raw.length > MAX_ID) throw badRequest(`${name} must be 1 to ${MAX_ID} characters`);
  return raw;
}

export function deletionRoutes(db: Knex, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  async function requested(ctx: Context, kind: RequestedKind, target: string, what: string): Promise<void> {
    const { tenantId, projectId, userId, apiKeyId } = projectAccessOf(ctx);
    const deletion = await requestDeletion(db, { tenantId, projectId, kind, target, actor: { userId, apiKeyId, ip: ctx.ip } });
    if (!deletion) throw notFound(`${what} not found in this project`);
    ctx.status = 202;
    ctx.body = deletion;
  }

  const deleter = guards.project('data:delete');
  router.delete('/api/v1/traces/:traceId', deleter, async (ctx) => {
    const id = traceId(ctx.params.traceId);
    await requested(ctx, 'trace', id, `trace ${id}`);
  });
  router.delete('/api/v1/sessions/:sessionId', deleter, async (ctx) => {
    const id = freeId('sessionId', ctx.params.sessionId);
    await requested(ctx, 'session', id, `session ${id}`);
  });
  router.delete('/api/v1/users/:userId', deleter, async (ctx) => {
    await requested(ctx, 'end_user', freeId('userId', ctx.params.userId), 'end user');
  });
  router.delete('/api/v1/projects/:projectId', guards.project('project:delete'), async (ctx) => {
    await requested(ctx, 'project', projectAccessOf(ctx).projectId, 'project');
  });

  router.get('/api/v1/deletions/:deletionId', guards.project('project:read'), async (ctx) => {
    const { tenantId, projectId } = projectAccessOf(ctx);
    const id = ctx.params.deletionId;
    // A deleted project's own deletion stays readable from the tenant's other projects.
    const job: DeletionJob | undefined = isUuid(id)
      ? await db('deletion_jobs').where({ id, tenant_id: tenantId }).where((w) => w.where('project_id', projectId).orWhere('kind', 'project')).first()
      : undefined;
    if (!job) throw notFound(`deletion ${id} not found in this project`);
    ctx.body = toDeletion(job);
  });

  return router;
}
