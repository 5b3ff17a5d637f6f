/** Appends one security-relevant action to audit_logs. */
import type { Knex } from 'knex';

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
