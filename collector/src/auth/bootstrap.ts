/**
 * First start on an empty control plane: a default tenant, project and admin user, and one ingest+read
 * API key announced as a single `OBSERVA_API_KEY=<key>` line. Runs once: later starts find the tenant.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { ApiKeys } from './api-keys.ts';
import { generatePassword, hashPassword } from './passwords.ts';

export interface BootstrapResult {
  tenantId: string;
  projectId: string;
  adminEmail: string;
  /** Set only when the password was generated here; shown once. */
  generatedPassword: string | null;
  apiKey: string;
}

export async function bootstrapIfEmpty(
  db: Knex,
  apiKeys: ApiKeys,
  admin: { email: string; password: string | null },
): Promise<BootstrapResult | null> {
  const tenantId = randomUUID();
  const projectId = randomUUID();
  const userId = randomUUID();
  const password = admin.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  // The advisory lock makes concurrent first starts of several collectors create one default tenant.
  const created = await db.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(4318001)');
    if (await trx('tenants').first('id')) return false;
    await trx('tenants').insert({ id: tenantId, slug: 'default', name: 'Default' });
    await trx('projects').insert({ id: projectId, tenant_id: tenantId, slug: 'default', name: 'Default project' });
    await trx('users').insert({ id: userId, email: admin.email, name: 'Admin', password_hash: passwordHash, is_instance_admin: true });
    await trx('memberships').insert({ tenant_id: tenantId, user_id: userId, role: 'owner' });
    await trx('audit_logs').insert({ tenant_id: tenantId, action: 'instance.bootstrap', target_type: 'tenant', target_id: tenantId, details: { admin_email: admin.email } });
    return true;
  });
  if (!created) return null;
  const key = await apiKeys.create({ tenantId, projectId, name: 'default', scopes: ['ingest', 'read'], createdBy: userId });
  return { tenantId, projectId, adminEmail: admin.email, generatedPassword: admin.password ? null : password, apiKey: key.key };
}
