/**
 * Delivery to the analytics store, as a project sees it: GET /api/v1/analytics/delivery (the project's
 * backlog and dead-lettered batches with their reasons; rows the store quarantined, counted per
 * tenant) and POST /api/v1/analytics/dead-letters/:id/retry to re-queue a batch once its cause is fixed.
 */
import Router from '@koa/router';
import type { Knex } from 'knex';
import { projectAccessOf, type Guards } from '../access/guards.ts';
import { notFound } from '../http-error.ts';
import type { AnalyticsStore } from '../stores/analytics/analytics-store.ts';
import { actorOf, recordAudit } from './audit.ts';
import { isoSql } from './trace-summary.ts';

export function deliveryRoutes(db: Knex, analytics: AnalyticsStore, guards: Guards): Router {
  const router = new Router();

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
    const updated = Number.isSafeInteger(id)
      ? await db('ingest_outbox').where({ id, tenant_id: project.tenantId, project_id: project.projectId }).whereNotNull('dead_lettered_at')
        .update({ dead_lettered_at: null, available_at: db.fn.now(), attempts: 0 })
      : 0;
    if (!updated) throw notFound(`dead-lettered batch ${ctx.params.id} not found`);
    await recordAudit(db, { ...actorOf(ctx), action: 'analytics.dead_letter.retry', targetType: 'outbox', targetId: String(id) });
    ctx.status = 202;
    ctx.body = { id, requeued: true };
  });

  return router;
}
