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

/**
 * Account entries (`auth.*`: sign-ins, password changes) belong to a person, not a tenant: they are
 * stored without a tenant and name the tenants the account belonged to at that moment, so each of those
 * tenants' admins keeps seeing them, also after the person has left.
 */
async function accountTenants(db: Knex, entry: AuditEntry): Promise<string[]> {
  const byUser = entry.actorUserId ? db('memberships').where('user_id', entry.actorUserId) : null;
  const byEmail = entry.targetType === 'user' && entry.targetId?.includes('@')
    ? db('memberships').join('users', 'users.id', 'memberships.user_id').whereRaw('lower(users.email) = ?', [entry.targetId.toLowerCase()])
    : null;
  const query = byUser ?? byEmail;
  if (!query) return [];
  return (await query.select('memberships.tenant_id')).map((row) => row.tenant_id);
}

export async function recordAudit(db: Knex, entry: AuditEntry): Promise<void> {
  const isAccountEntry = entry.action.startsWith('auth.') && !entry.tenantId;
  const details = isAccountEntry ? { ...entry.details, tenant_ids: await accountTenants(db, entry) } : entry.details;
  await db('audit_logs').insert({
    action: entry.action,
    tenant_id: entry.tenantId ?? null,
    actor_user_id: entry.actorUserId ?? null,
    actor_api_key_id: entry.actorApiKeyId ?? null,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    ip: entry.ip ?? null,
    details: details ?? {},
  });
}

/** The acting side of an entry, from what the route's guard established: tenant, user or key, IP. */
export function actorOf(ctx: Context): Pick<AuditEntry, 'tenantId' | 'actorUserId' | 'actorApiKeyId' | 'ip'> {
  const access = ctx.state.access as Access | undefined;
  return { tenantId: access?.tenantId || null, actorUserId: access?.userId ?? null, actorApiKeyId: access?.apiKeyId ?? null, ip: ctx.ip };
}
