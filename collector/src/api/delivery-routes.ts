/**
 * Delivery to the analytics store, as a project sees it: GET /api/v1/analytics/delivery (the project's
 * backlog and dead-lettered batches with their reasons; rows the store quarantined, counted per
 * tenant) and POST /api/v1/analytics/dead-letters/:id/retry to re-queue a batch once its cause is fixed.
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Knex } from 'knex';
import { projectAccessOf, type Guards } from '../access/guards.ts';
import { HttpError, notFound } from '../http-error.ts';
import type { AnalyticsStore } from '../stores/analytics/analytics-store.ts';
import { actorOf, recordAudit } from './audit.ts';
import { isoSql } from './trace-summary.ts';

export function deliveryRoutes(db: Knex, analytics: AnalyticsStore, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  router.get('/api/v1/analytics/delivery', guards.project('project:read'), async (ctx) => {
    const { tenantId, projectId } = projectAccessOf(ctx);
    const scope = { tenant_id: tenantId, project_id: projectId };
    const [backlog, deadLetters, stats] = await Promise.all([
      db('ingest_outbox').where(scope).whereNull('dead_lettered_at')
        .first(db.raw('count(*)::int AS rows, COALESCE(sum(event_count), 0)::int AS events, COALESCE(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age')),
      db('ingest_outbox').where(scope).whereNotNull('dead_lettered_at').orderBy('dead_lettered_at', 'desc').limit(100)
        .select('id', 'project_id', 'event_count', 'attempts', 'last_error', db.raw(`${isoSql('created_at')} AS created_iso`), db.raw(`${isoSql('dead_lettered_at')} AS dead_iso`)),
      db('analytics_delivery_stats').where({ tenant_id: tenantId }).first(),
    ]);
    ctx.body = {
      backend: analytics.backend,
      backlog: { rows: Number(backlog.rows), events: Number(backlog.events), oldest_age_seconds: Number(backlog.age) },
      dead_letters: deadLetters.map((r) => ({
        id: Number(r.id), project_id: r.project_id, event_count: Number(r.event_count), attempts: Number(r.attempts),
        reason: r.last_error, created_at: r.created_iso, dead_lettered_at: r.dead_iso,
      })),
      quarantined_rows: Number(stats?.quarantined_rows ?? 0),
      last_quarantine_at: stats?.last_quarantine_at ? new Date(stats.last_quarantine_at).toISOString() : null,
      dead_lettered_batches: Number(stats?.dead_lettered_batches ?? 0),
    };
  });

  router.post('/api/v1/analytics/dead-letters/:id/retry', guards.project('delivery:retry'), async (ctx) => {
    const project = projectAccessOf(ctx);
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id)) throw notFound(`dead-lettered batch ${ctx.params.id} not found`);
    const batch = () => db('ingest_outbox').where({ id, tenant_id: project.tenantId, project_id: project.projectId }).whereNotNull('dead_lettered_at');
    // A deletion already ran past this batch (it waits only for batches not dead-lettered): shipping it
    // now would bring deleted spans back. Checked in the update itself, so a deletion committed first is seen.
    // Retention sweeps do not block: they run hourly and would make every older dead letter unrecoverable;
    // old spans shipped late go at a later sweep that removes traces of the project.
    const updated = await batch().whereNotExists(db('deletion_jobs').whereRaw('deletion_jobs.project_id = ingest_outbox.project_id')
      .whereIn('kind', ['trace', 'session', 'end_user']).whereRaw('ingest_outbox.created_at <= deletion_jobs.outbox_cutoff'))
      .update({ dead_lettered_at: null, available_at: db.fn.now(), attempts: 0 }).returning('id');
    if (updated.length === 0) {
      if (!(await batch().first('id'))) throw notFound(`dead-lettered batch ${ctx.params.id} not found`);
      throw new HttpError(409, `dead-lettered batch ${id} predates a deletion in this project (trace, session or end-user data); re-queueing it would bring deleted data back, so it stays dead-lettered`);
    }
    await recordAudit(db, { ...actorOf(ctx), action: 'analytics.dead_letter.retry', targetType: 'outbox', targetId: String(id) });
    ctx.status = 202;
    ctx.body = { id, requeued: true };
  });

  return router;
}
