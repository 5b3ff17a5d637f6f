/**
 * A tenant's analytics settings: GET/PUT /api/v1/tenants/:tenantId/analytics, for the tenant's owners
 * and admins. A tenant with its own Tinybird workspace enters its host, workspace id and tokens here;
 * tokens go in and never come out (GET shows whether each is set and its last four characters).
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Knex } from 'knex';
import { badRequest } from '../http-error.ts';
import { normaliseTinybirdHost } from '../stores/analytics/tinybird/tinybird-host.ts';
import { IncompleteAnalyticsSettings, type TenantAnalyticsSettings, type TenantAnalyticsUpdate } from '../stores/control/tenant-analytics-settings.ts';
import { accessOf, type Guards } from '../access/guards.ts';
import { actorOf, recordAudit } from './audit.ts';
import { bodyFields } from './body-fields.ts';

const FIELDS = { host: 'host', workspace_id: 'workspaceId', append_token: 'appendToken', admin_token: 'adminToken' } as const;
type Field = keyof typeof FIELDS;
const MAX_VALUE_LENGTH = 4096;

/** The body as an update: known keys only, each a non-empty string, host an http(s) URL. */
function parseUpdate(body: unknown): TenantAnalyticsUpdate {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('send a JSON object with host, workspace_id, append_token and/or admin_token');
  const entries = Object.entries(bodyFields(body, Object.keys(FIELDS)));
  if (entries.length === 0) throw badRequest('nothing to change: send host, workspace_id, append_token and/or admin_token');
  const update: TenantAnalyticsUpdate = {};
  for (const [key, value] of entries as [Field, unknown][]) {
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_VALUE_LENGTH) throw badRequest(`${key} must be a non-empty string`);
    update[FIELDS[key]] = value.trim();
  }
  if (update.host !== undefined) {
    const host = normaliseTinybirdHost(update.host);
    if (!host) throw badRequest('host must be an http(s) URL without credentials or query, such as https://api.tinybird.co');
    update.host = host;
  }
  return update;
}

export function tenantAnalyticsRoutes(db: Knex, settings: TenantAnalyticsSettings, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  router.get('/api/v1/tenants/:tenantId/analytics', guards.tenant('tenant:settings'), async (ctx) => {
    ctx.body = await settings.describe(accessOf(ctx).tenantId);
  });

  router.put('/api/v1/tenants/:tenantId/analytics', guards.tenant('tenant:settings'), async (ctx) => {
    const access = accessOf(ctx);
    const update = parseUpdate(ctx.request.body);
    const stored = await settings.put(access.tenantId, update, access.userId!).catch((err: unknown) => {
      throw err instanceof IncompleteAnalyticsSettings ? badRequest(err.message) : err;
    });
    // Which fields changed and where data now goes; token values never reach the audit log.
    const changed = (Object.keys(FIELDS) as Field[]).filter((key) => update[FIELDS[key]] !== undefined);
    await recordAudit(db, {
      ...actorOf(ctx), action: 'tenant.analytics.update', targetType: 'tenant', targetId: access.tenantId, details: { changed, host: stored.host },
    });
    ctx.body = stored;
  });

  return router;
}
