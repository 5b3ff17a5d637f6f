/** GET /healthz: 200 when the control plane answers (with the outbox backlog), 503 when it does not. */
import Router from '@koa/router';
import { ROUTE_MATCHING } from './route-matching.ts';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { OutboxShipper } from '../pipeline/outbox-shipper.ts';
import type { AnalyticsStore } from '../stores/analytics/analytics-store.ts';

export function healthRoutes(db: Knex, shipper: OutboxShipper, analytics: AnalyticsStore, log: Logger): Router {
  const router = new Router(ROUTE_MATCHING);
  router.get('/healthz', async (ctx) => {
    try {
      await db.raw('SELECT 1');
      const backlog = await shipper.backlog();
      ctx.body = { status: 'ok', analytics_backend: analytics.backend, outbox: { rows: backlog.rows, events: backlog.events, oldest_age_seconds: backlog.oldestAgeSeconds } };
    } catch (err) {
      // No auth here: the database's own message (hosts, SQL) goes to the log, not to the caller.
      log.warn({ err: (err as Error).message }, 'health check: control plane unavailable');
      ctx.status = 503;
      ctx.body = { status: 'unavailable', reason: 'the control-plane database does not answer' };
    }
  });
  return router;
}
