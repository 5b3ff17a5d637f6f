/**
 * Appends one security-relevant action to audit_logs. The application only ever inserts here; a
 * trigger (migration 0011) refuses updates and deletes outside the retention pruning.
 */
import type { Context } from 'koa';
import type { Knex } from 'knex';
import type { Access } from '../access/guards.ts';

export interface AuditEntry {
  action: string;
  tenantId?: string | null;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Knex, entry: AuditEntry): Promise<void> {
  await db('audit_logs').insert({
    action: entry.action,
    tenant_id: entry.tenantId ?? null,
    actor_user_id: entry.actorUserId ?? null,
    actor_api_key_id: entry.actorApiKeyId ?? null,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    ip: entry.ip ?? null,
    details: entry.details ?? {},
  });
}

/** The acting side of an entry, from what the route's guard established: tenant, user or key, IP. */
export function actorOf(ctx: Context): Pick<AuditEntry, 'tenantId' | 'actorUserId' | 'actorApiKeyId' | 'ip'> {
  const access = ctx.state.access as Access | undefined;
  return { tenantId: access?.tenantId || null, actorUserId: access?.userId ?? null, actorApiKeyId: access?.apiKeyId ?? null, ip: ctx.ip };
}
