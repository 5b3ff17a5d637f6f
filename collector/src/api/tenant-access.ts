/**
 * A signed-in user's role in one tenant, for tenant-wide settings. API keys are bound to a project
 * and never manage a tenant; tenants the user does not belong to answer "not found", so their ids
 * are never confirmed.
 */
import type { Knex } from 'knex';
import type { AuthState } from '../auth/authenticate.ts';
import { forbidden, notFound } from '../http-error.ts';
import type { Role } from './project-access.ts';

export interface TenantAccess {
  tenantId: string;
  role: Role;
  userId: string;
}

/** `action` completes "role X may not ...", e.g. "change analytics settings". */
export async function userTenantAccess(db: Knex, auth: AuthState, tenantId: string, roles: readonly Role[], action: string): Promise<TenantAccess> {
  const { principal } = auth;
  if (principal.kind !== 'user') throw forbidden(`only signed-in users may ${action}, not API keys`);
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw notFound(`tenant ${tenantId} not found`);
  const row = await db('memberships').where({ tenant_id: tenantId, user_id: principal.userId }).first('role');
  if (!row) throw notFound(`tenant ${tenantId} not found`);
  if (!roles.includes(row.role)) throw forbidden(`role "${row.role}" may not ${action}`);
  return { tenantId, role: row.role, userId: principal.userId };
}
