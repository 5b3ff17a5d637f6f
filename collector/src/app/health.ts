/** GET /healthz: 200 when the control plane answers (with the outbox backlog), 503 when it does not. */
import Router from '@koa/router';
import type { Knex } from 'knex';
import type { OutboxShipper } from '../pipeline/outbox-shipper.ts';
import type { AnalyticsStore } from '../stores/analytics/analytics-store.ts';

export function healthRoutes(db: Knex, shipper: OutboxShipper, analytics: AnalyticsStore): Router {
  const router = new Router();
  router.get('/healthz', async (ctx) => {
    try {
      await db.raw('SELECT 1');
      const backlog = await shipper.backlog();
      ctx.body = { status: 'ok', analytics_backend: analytics.backend, outbox: { rows: backlog.rows, events: backlog.events, oldest_age_seconds: backlog.oldestAgeSeconds } };
    } catch (err) {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', reason: `control plane: ${(err as Error).message}` };
    }
  });
  return router;
}
