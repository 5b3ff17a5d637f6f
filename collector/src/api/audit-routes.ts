/**
 * GET /api/v1/audit-logs: a tenant's audit trail for its owners and admins, or the instance-level
 * entries (`tenant_id=none`) for instance administrators; newest first, keyset-paged on id. Every
 * filter is validated (400 naming it) and bound as a parameter.
 *
 * Sign-ins and account changes (`auth.*`) are recorded without a tenant, since a user may belong to
 * several, but name the tenants the account belonged to then; a tenant's view adds those.
 */
import { isIP } from 'node:net';
import type { ParsedUrlQuery } from 'node:querystring';
import Router from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Knex } from 'knex';
import { accessOf, isUuid, type Guards } from '../access/guards.ts';
import { badRequest } from '../http-error.ts';
import { limitParam, stringParam, timeParam } from './query-params.ts';

/** An action name (`api_key.create`) or a prefix ending in `.*` (`api_key.*`). */
const ACTION = /^[a-z_]+(\.[a-z_]+)*(\.\*)?$/;
const TARGET_TYPE = /^[a-z_]+$/;
const INSTANCE = 'none';

/** `auth.*` entries of people who were the tenant's members when they happened (api/audit.ts). */
const ACCOUNT_ENTRIES_OF_MEMBERS = `audit_logs.tenant_id IS NULL AND starts_with(audit_logs.action, 'auth.')
  AND audit_logs.details -> 'tenant_ids' @> jsonb_build_array(?::text)`;

export interface AuditEntryJson {
  id: number;
  created_at: string;
  tenant_id: string | null;
  action: string;
  actor: { user_id: string | null; email: string | null; api_key_id: string | null };
  ip: string | null;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
}

export function auditRoutes(db: Knex, guards: Guards): Router {
  const router = new Router(ROUTE_MATCHING);
  const tenantAuditor = guards.tenant('audit:read', 'query');
  const instanceAuditor = guards.instanceAdmin();

  router.get(
    '/api/v1/audit-logs',
    (ctx, next) => (ctx.query.tenant_id === INSTANCE ? instanceAuditor : tenantAuditor)(ctx, next),
    async (ctx) => {
      const q = ctx.query;
      const limit = limitParam(q, 50, 500);
      const afterId = decodeCursor(q.cursor);
      const query = db('audit_logs')
        .leftJoin('users', 'users.id', 'audit_logs.actor_user_id')
        .select('audit_logs.*', 'users.email as actor_email')
        .orderBy('audit_logs.id', 'desc')
        .limit(limit + 1);
      if (q.tenant_id === INSTANCE) {
        query.whereNull('audit_logs.tenant_id');
      } else {
        const { tenantId } = accessOf(ctx);
        query.where((scope) => scope.where('audit_logs.tenant_id', tenantId).orWhereRaw(ACCOUNT_ENTRIES_OF_MEMBERS, [tenantId]));
      }
      applyFilters(query, q);
      if (afterId !== null) query.where('audit_logs.id', '<', afterId);

      const rows = await query;
      const page = rows.slice(0, limit);
      ctx.body = {
        data: page.map(toAuditEntry),
        next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
      };
    },
  );

  return router;
}

function applyFilters(query: Knex.QueryBuilder, q: ParsedUrlQuery): void {
  const action = stringParam(q, 'action', 128);
  if (action !== null) {
    if (!ACTION.test(action)) throw badRequest(`action must be an action like api_key.create or a prefix like api_key.*, got "${action}"`);
    if (action.endsWith('.*')) query.whereRaw('starts_with(audit_logs.action, ?)', [action.slice(0, -1)]);
    else query.where('audit_logs.action', action);
  }
  for (const name of ['actor_user_id', 'actor_api_key_id'] as const) {
    const id = stringParam(q, name, 64);
    if (id === null) continue;
    if (!isUuid(id)) throw badRequest(`${name} must be a uuid, got "${id}"`);
    query.where(`audit_logs.${name}`, id);
  }
  const targetType = stringParam(q, 'target_type', 64);
  if (targetType !== null) {
    if (!TARGET_TYPE.test(targetType)) throw badRequest(`target_type must be lowercase letters and underscores like api_key, got "${targetType}"`);
    query.where('audit_logs.target_type', targetType);
  }
  const targetId = stringParam(q, 'target_id');
  if (targetId !== null) query.where('audit_logs.target_id', targetId);
  const ip = stringParam(q, 'ip', 64);
  if (ip !== null) {
    if (isIP(ip) === 0) throw badRequest(`ip must be an IPv4 or IPv6 address, got "${ip}"`);
    query.where('audit_logs.ip', ip);
  }
  const from = timeParam(q, 'from');
  const to = timeParam(q, 'to');
  if (from) query.where('audit_logs.created_at', '>=', from);
  if (to) query.where('audit_logs.created_at', '<', to);
}

function toAuditEntry(row: Record<string, any>): AuditEntryJson {
  return {
    id: Number(row.id),
    created_at: new Date(row.created_at).toISOString(),
    tenant_id: row.tenant_id,
    action: row.action,
    actor: { user_id: row.actor_user_id, email: row.actor_email ?? null, api_key_id: row.actor_api_key_id },
    ip: row.ip,
    target_type: row.target_type,
    target_id: row.target_id,
    details: row.details,
  };
}

/** The cursor is the last served id, opaque to clients. */
function encodeCursor(id: number | string): string {
  return Buffer.from(`audit:${id}`).toString('base64url');
}

function decodeCursor(raw: ParsedUrlQuery[string]): number | null {
  if (raw === undefined || raw === '') return null;
  const match = typeof raw === 'string' ? /^audit:(\d{1,15})$/.exec(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  if (!match) throw badRequest('cursor is not valid: pass the next_cursor value of the previous page unchanged');
  return Number(match[1]);
}
