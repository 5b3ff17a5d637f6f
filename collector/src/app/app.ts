/**
 * The collector's HTTP application. The whole middleware order is here, top to bottom:
 * errors -> health -> ingestion (key-authenticated, raw bodies) -> JSON API -> 404 for unknown API
 * paths -> dashboard assets.
 */
import Koa from 'koa';
import { dashboardAssets } from './dashboard-assets.ts';
import Router from '@koa/router';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { Guards } from '../access/guards.ts';
import { apiKeysRoutes } from '../api/api-keys-routes.ts';
import { auditRoutes } from '../api/audit-routes.ts';
import { authRoutes } from '../api/auth-routes.ts';
import { deliveryRoutes } from '../api/delivery-routes.ts';
import { invitationAcceptRoutes } from '../api/invitation-accept-routes.ts';
import { invitationsRoutes } from '../api/invitations-routes.ts';
import { membersRoutes } from '../api/members-routes.ts';
import { metricsRoutes } from '../api/metrics-routes.ts';
import { modelPricesRoutes } from '../api/model-prices-routes.ts';
import { projectsRoutes } from '../api/projects-routes.ts';
import { scoresRoutes } from '../api/scores-routes.ts';
import { sessionsRoutes } from '../api/sessions-routes.ts';
import { tracesRoutes } from '../api/traces-routes.ts';
import { tenantAnalyticsRoutes } from '../api/tenant-analytics-routes.ts';
import { deletionRoutes } from '../api/deletion-routes.ts';
import { tenantsRoutes } from '../api/tenants-routes.ts';
import { usageRoutes } from '../api/usage-routes.ts';
import type { ApiKeys } from '../auth/api-keys.ts';
import { csrfProtection } from '../auth/csrf.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { slidingSessions } from '../auth/session-cookies.ts';
import type { UserSessions } from '../auth/user-sessions.ts';
import type { Config } from '../config.ts';
import type { IngestPipeline } from '../pipeline/ingest.ts';
import type { OutboxShipper } from '../pipeline/outbox-shipper.ts';
import { eventsApi } from '../receivers/events-api.ts';
import { langfuseOtelReceiver } from '../receivers/langfuse-otel.ts';
import { otlpHttpReceiver, type OtlpExports } from '../receivers/otlp-http.ts';
import type { AnalyticsStore } from '../stores/analytics/analytics-store.ts';
import type { ModelPriceOverrides } from '../stores/control/model-price-overrides.ts';
import type { TenantAnalyticsSettings } from '../stores/control/tenant-analytics-settings.ts';
import { errorHandler } from './error-handler.ts';
import { healthRoutes } from './health.ts';
import type { IngestAdmission } from './ingest-admission.ts';
import { jsonBody } from './json-body.ts';
import { rejectNulCharacters } from './reject-nul-characters.ts';
import { HttpError, notFound } from '../http-error.ts';

export interface AppDeps {
  config: Config;
  log: Logger;
  db: Knex;
  analytics: AnalyticsStore;
  apiKeys: ApiKeys;
  sessions: UserSessions;
  pipeline: IngestPipeline;
  /** What each OTLP signal does with an admitted request (receivers/export-*.ts). */
  otlpExports: OtlpExports;
  shipper: OutboxShipper;
  priceOverrides: ModelPriceOverrides;
  tenantAnalytics: TenantAnalyticsSettings;
  /** Ingestion admission and the request limits, shared with the OTLP/gRPC receiver (app/ingest-admission.ts). */
  admission: IngestAdmission;
}

function mount(app: Koa, router: Router): void {
  app.use(router.routes()).use(router.allowedMethods());
}

export function createApp(deps: AppDeps): Koa {
  const { config, log, db, analytics, apiKeys, sessions, pipeline, shipper, priceOverrides } = deps;
  // Built once by the collector (app/ingest-admission.ts): the OTLP/gRPC receiver admits with the same objects.
  // Request limits are shared by every collector process; the guards apply the per-tenant API limit once they know the tenant.
  const { auth, limits, backpressure, inFlight, quotaAdmission, steps: admitIngest } = deps.admission;
  const guards = new Guards(db, auth, limits.apiPerTenant);
  // Behind a reverse proxy, X-Forwarded-For/-Proto give the client IP (audit log, limits) and https
  // (Secure cookies). Only the last address is trusted: the one our proxy appended; earlier ones are
  // whatever the client claimed.
  const app = new Koa({ proxy: config.trustProxy, maxIpsCount: 1 });
  // Errors after the response started (a browser that navigates away mid-asset: "Premature close") reach
  // only Koa's 'error' event, whose default prints to stderr; they go to the structured log instead.
  app.on('error', (err: NodeJS.ErrnoException) => {
    const clientGone = err.code === 'ERR_STREAM_PREMATURE_CLOSE' || err.code === 'ECONNRESET' || err.code === 'EPIPE';
    if (clientGone) log.debug({ err }, 'client closed the connection before the response ended');
    else log.error({ err }, 'response failed after it started');
  });

  app.use(errorHandler(log));
  mount(app, healthRoutes(db, shipper, analytics, log, { backpressure, inFlight }));

  // Ingestion reads its own bodies (size limit after decompression) only after admission: the per-IP
  // limit, a live key with the ingest scope, the tenant's limits, the collector's backlog and memory
  // bounds, then a slot among the bodies in flight (held until the answer). Each step is cheap and runs before any body byte.
  mount(app, otlpHttpReceiver(deps.otlpExports, admitIngest, config.maxBodyBytes));
  mount(app, langfuseOtelReceiver(deps.otlpExports.traces, admitIngest, config.maxBodyBytes)); // Langfuse SDKs: Basic auth, then the same admission and export
  mount(app, eventsApi(pipeline, admitIngest, config.maxBodyBytes));

  // The JSON API: each route names its guard (the permission it needs, access/permissions.ts) next to its path.
  app.use(limits.apiPerIp);
  app.use(rejectNulCharacters());
  app.use(jsonBody());
  // Cookie-authenticated writes must echo the session's CSRF token; then a live session slides its expiry.
  app.use(csrfProtection(auth, sessions));
  app.use(slidingSessions(auth, sessions));
  mount(app, authRoutes(db, sessions, new LoginThrottle(db, config.loginThrottle), guards));
  mount(app, projectsRoutes(db, guards));
  mount(app, apiKeysRoutes(db, apiKeys, guards));
  mount(app, tracesRoutes(db, analytics, guards));
  mount(app, sessionsRoutes(db, guards));
  mount(app, metricsRoutes(analytics, guards));
  mount(app, deliveryRoutes(db, analytics, guards));
  mount(app, modelPricesRoutes(db, priceOverrides, guards));
  mount(app, scoresRoutes(db, guards));
  mount(app, tenantAnalyticsRoutes(db, deps.tenantAnalytics, guards));
  mount(app, deletionRoutes(db, guards));
  mount(app, tenantsRoutes(db, guards));
  mount(app, membersRoutes(db, guards));
  mount(app, invitationsRoutes(db, config.invitationTtlHours, guards));
  mount(app, invitationAcceptRoutes(db, sessions, auth));
  mount(app, usageRoutes(db, quotaAdmission, guards));
  mount(app, auditRoutes(db, guards));

  app.use(async (ctx, next) => {
    if (!ctx.path.startsWith('/api/') && !ctx.path.startsWith('/v1/')) return next();
    // A known path with another method is a 405 naming the allowed ones (routers record the path matches).
    const allowed = [...new Set((ctx.matched ?? []).flatMap((layer: { methods: string[] }) => layer.methods))].filter((m) => m !== 'HEAD');
    if (allowed.length > 0) throw new HttpError(405, `${ctx.method} is not allowed on ${ctx.path}; use ${allowed.join(', ')}`, { allow: allowed.join(', ') });
    throw notFound(`no route for ${ctx.method} ${ctx.path}`);
  });
  app.use(dashboardAssets(config.uiDir));
  return app;
}

/** Every route the app answers as {method, path}: the route-by-route security suite checks it covers them all. */
export function listRoutes(app: Koa): { method: string; path: string }[] {
  const routers = app.middleware.map((mw) => (mw as { router?: Router }).router).filter((r): r is Router => r !== undefined);
  return routers.flatMap((router) => router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, path: String(layer.path) }))));
}
