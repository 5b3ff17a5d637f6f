/**
 * GET /healthz: 200 when the control plane answers (with the outbox backlog and the OTLP log records
 * waiting for their span), 503 when it does not.
 * `ingestion` shows the collector's bounds against their readings, so an operator sees why ingestion
 * is refused (backlog, memory or bodies in flight) and how often it was.
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from './route-matching.ts';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { Backpressure } from '../limits/backpressure.ts';
import type { InFlightBodies } from '../limits/in-flight-bodies.ts';
import type { OutboxShipper } from '../pipeline/outbox-shipper.ts';
import { waitingLogRecords } from '../pipeline/log-joiner.ts';
import type { AnalyticsStore } from '../stores/analytics/analytics-store.ts';

export interface IngestionBounds {
  backpressure: Backpressure;
  inFlight: InFlightBodies;
}

export function healthRoutes(db: Knex, shipper: OutboxShipper, analytics: AnalyticsStore, log: Logger, bounds: IngestionBounds): Router {
  const router = new Router(ROUTE_MATCHING);
  router.get('/healthz', async (ctx) => {
    try {
      await db.raw('SELECT 1');
      const backlog = await shipper.backlog();
      await bounds.backpressure.refresh();
      const ingestion = { ...bounds.backpressure.state(), in_flight: bounds.inFlight.state() };
      const logRecords = await waitingLogRecords(db);
      ctx.body = {
        status: 'ok', analytics_backend: analytics.backend,
        outbox: { rows: backlog.rows, events: backlog.events, oldest_age_seconds: backlog.oldestAgeSeconds },
        log_records_waiting: logRecords, ingestion,
      };
    } catch (err) {
      // No auth here: the database's own message (hosts, SQL) goes to the log, not to the caller.
      log.warn({ err: (err as Error).message }, 'health check: control plane unavailable');
      ctx.status = 503;
      ctx.body = { status: 'unavailable', reason: 'the control-plane database does not answer' };
    }
  });
  return router;
}
