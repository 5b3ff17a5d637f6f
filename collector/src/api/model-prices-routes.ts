/**
 * Per-project model prices: GET/PUT /api/v1/projects/:projectId/model-prices (overrides, applied to
 * events ingested after the change) and GET /api/v1/model-prices (the built-in table they override).
 */
import Router, { type RouterMiddleware } from '@koa/router';
import type { Knex } from 'knex';
import type { AuthState } from '../auth/authenticate.ts';
import { defaultPriceTable, validateOverrides } from '../costs/index.ts';
import { HttpError, forbidden } from '../http-error.ts';
import type { ModelPriceOverrides } from '../stores/control/model-price-overrides.ts';
import { recordAudit } from './audit.ts';
import { userProjectAccess } from './project-access.ts';

export function modelPricesRoutes(db: Knex, overrides: ModelPriceOverrides, requirePrincipal: RouterMiddleware): Router {
  const router = new Router();

  router.get('/api/v1/model-prices', requirePrincipal, (ctx) => {
    ctx.body = {
      data: defaultPriceTable().entries.map(({ id, provider, match, prices, tiers, updated, source }) => ({ id, provider, match, prices, tiers: tiers ?? [], updated, source })),
    };
  });

  router.get('/api/v1/projects/:projectId/model-prices', requirePrincipal, async (ctx) => {
    const auth = ctx.state.auth as AuthState;
    const { projectId } = ctx.params;
    if (auth.principal.kind === 'api_key') {
      if (auth.principal.projectId !== projectId || !auth.principal.scopes.includes('read')) throw forbidden('this API key cannot read that project');
    } else {
      await userProjectAccess(db, auth, projectId, ['owner', 'admin', 'member', 'viewer'], 'read model prices');
    }
    ctx.body = await overrides.read(projectId);
  });

  router.put('/api/v1/projects/:projectId/model-prices', requirePrincipal, async (ctx) => {
    const access = await userProjectAccess(db, ctx.state.auth, ctx.params.projectId, ['owner', 'admin'], 'change model prices');
    const body = ctx.request.body as { overrides?: unknown } | undefined;
    const checked = validateOverrides(body?.overrides);
    if (!checked.ok) throw new HttpError(400, `overrides are not valid: ${checked.errors.join('; ')}`);
    const stored = await overrides.replace(access.projectId, checked.value, access.userId);
    await recordAudit(db, {
      action: 'model_prices.update', tenantId: access.tenantId, actorUserId: access.userId, ip: ctx.ip,
      targetType: 'project', targetId: access.projectId, details: { overrides: checked.value.length },
    });
    ctx.body = stored;
  });

  return router;
}
