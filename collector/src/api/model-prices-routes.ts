/**
 * Per-project model prices: GET/PUT /api/v1/projects/:projectId/model-prices (overrides, applied to
 * events ingested after the change) and GET /api/v1/model-prices (the built-in table they override).
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Knex } from 'knex';
import { projectAccessOf, type Guards } from '../access/guards.ts';
import { defaultPriceTable, validateOverrides } from '../costs/index.ts';
import { HttpError } from '../http-error.ts';
import type { ModelPriceOverrides } from '../stores/control/model-price-overrides.ts';
import { actorOf, recordAudit } from './audit.ts';

export function modelPricesRoutes(db: Knex, overrides: ModelPriceOverrides, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);

  router.get('/api/v1/model-prices', guards.anyone(), (ctx) => {
    ctx.body = {
      data: defaultPriceTable().entries.map(({ id, provider, match, prices, tiers, updated, source }) => ({ id, provider, match, prices, tiers: tiers ?? [], updated, source })),
    };
  });

  router.get('/api/v1/projects/:projectId/model-prices', guards.project('project:read'), async (ctx) => {
    ctx.body = await overrides.read(projectAccessOf(ctx).projectId);
  });

  router.put('/api/v1/projects/:projectId/model-prices', guards.project('project:settings'), async (ctx) => {
    const access = projectAccessOf(ctx);
    const body = ctx.request.body as { overrides?: unknown } | undefined;
    const checked = validateOverrides(body?.overrides);
    if (!checked.ok) throw new HttpError(400, `overrides are not valid: ${checked.errors.join('; ')}`);
    const stored = await overrides.replace(access.projectId, checked.value, access.userId!);
    await recordAudit(db, {
      ...actorOf(ctx), action: 'model_prices.update', targetType: 'project', targetId: access.projectId, details: { overrides: checked.value.length },
    });
    ctx.body = stored;
  });

  return router;
}
