/**
 * A project's API keys: list (prefix, name, scopes, dates; never the key), create (the key is shown
 * once), rotate (a new key with the same name and scopes; the old one is revoked at once) and revoke.
 * Revocation reaches every collector process within the key cache period (auth/api-keys.ts).
 */
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Knex } from 'knex';
import { isUuid, projectAccessOf, type Guards } from '../access/guards.ts';
import type { ApiKeys } from '../auth/api-keys.ts';
import { SCOPES, type Scope } from '../auth/principal.ts';
import { badRequest, notFound } from '../http-error.ts';
import { actorOf, recordAudit } from './audit.ts';
import { isoSql } from './trace-summary.ts';
import { nameField } from './body-fields.ts';

function parseKeyRequest(body: unknown): { name: string; scopes: Scope[] } {
  const { name, scopes } = (body ?? {}) as Record<string, unknown>;
  const requested = scopes === undefined ? ['ingest'] : scopes;
  if (!Array.isArray(requested) || requested.length === 0 || !requested.every((s) => SCOPES.includes(s as Scope))) {
    throw badRequest(`scopes must be a non-empty array of ${SCOPES.map((s) => `"${s}"`).join(', ')}`);
  }
  return { name: nameField(name), scopes: [...new Set(requested as Scope[])] };
}

const KEYS = '/api/v1/projects/:projectId/api-keys';

export function apiKeysRoutes(db: Knex, apiKeys: ApiKeys, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);
  const manager = guards.project('api_keys:manage');

  /** The project's key `:keyId`, or 404 (also for keys of other projects). */
  async function keyOf(projectId: string, keyId: string) {
    const key = isUuid(keyId) ? await db('api_keys').where({ id: keyId, project_id: projectId }).first('id', 'revoked_at') : null;
    if (!key) throw notFound(`API key ${keyId} not found in project ${projectId}`);
    return key;
  }

  router.get(KEYS, manager, async (ctx) => {
    const { projectId } = projectAccessOf(ctx);
    const rows = await db('api_keys')
      .where({ project_id: projectId })
      .orderBy('created_at', 'desc')
      .select('id', 'name', 'prefix', 'scopes', 'created_by', db.raw(`${isoSql('created_at')} AS created_iso`),
        db.raw(`${isoSql('last_used_at')} AS last_used_iso`), db.raw(`${isoSql('revoked_at')} AS revoked_iso`));
    ctx.body = {
      data: rows.map((r) => ({
        id: r.id, name: r.name, prefix: r.prefix, scopes: r.scopes, project_id: projectId, created_by: r.created_by,
        created_at: r.created_iso, last_used_at: r.last_used_iso, revoked_at: r.revoked_iso, active: r.revoked_iso === null,
      })),
    };
  });

  router.post(KEYS, manager, async (ctx) => {
    const access = projectAccessOf(ctx);
    const request = parseKeyRequest(ctx.request.body);
    const created = await db.transaction(async (trx) => {
      const key = await apiKeys.create({ tenantId: access.tenantId, projectId: access.projectId, ...request, createdBy: access.userId }, trx);
      await recordAudit(trx, {
        ...actorOf(ctx), action: 'api_key.create', targetType: 'api_key', targetId: key.id,
        details: { name: key.name, scopes: key.scopes, project_id: access.projectId },
      });
      return key;
    });
    ctx.status = 201;
    ctx.body = created;
  });

  router.post(`${KEYS}/:keyId/rotate`, manager, async (ctx) => {
    const access = projectAccessOf(ctx);
    const old = await keyOf(access.projectId, ctx.params.keyId);
    if (old.revoked_at !== null) throw badRequest(`API key ${old.id} is revoked; create a new key instead`);
    const created = await db.transaction(async (trx) => {
      const key = await apiKeys.rotate(old.id, access.userId, trx);
      await recordAudit(trx, {
        ...actorOf(ctx), action: 'api_key.rotate', targetType: 'api_key', targetId: old.id,
        details: { replaced_by: key.id, project_id: access.projectId },
      });
      return key;
    });
    ctx.status = 201;
    ctx.body = { ...created, replaces: old.id };
  });

  router.delete(`${KEYS}/:keyId`, manager, async (ctx) => {
    const access = projectAccessOf(ctx);
    const key = await keyOf(access.projectId, ctx.params.keyId);
    await db.transaction(async (trx) => {
      await apiKeys.revoke(key.id, trx);
      await recordAudit(trx, { ...actorOf(ctx), action: 'api_key.revoke', targetType: 'api_key', targetId: key.id, details: { project_id: access.projectId } });
    });
    ctx.status = 204;
  });

  return router;
}
