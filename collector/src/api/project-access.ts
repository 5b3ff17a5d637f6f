/**
 * A signed-in user's access to one project: the project's tenant and the user's role in it. Other
 * tenants' projects answer "not found", so their ids are never confirmed. (The full role table
 * arrives with the control-plane issue; for now routes name the roles they accept.)
 */
import type { Knex } from 'knex';
import type { AuthState } from '../auth/authenticate.ts';
import { forbidden, notFound } from '../http-error.ts';

export type Role = 'owner' | 'admin' | 'member' | 'viewer';

export interface ProjectAccess {
  tenantId: string;
  projectId: string;
  role: Role;
  userId: string;
}

/** `action` completes "role X may not ...", e.g. "manage API keys". */
export async function userProjectAccess(db: Knex, auth: AuthState, projectId: string, roles: readonly Role[], action: string): Promise<ProjectAccess> {
  const { principal } = auth;
  if (principal.kind !== 'user') throw forbidden(`only signed-in users may ${action}, not API keys`);
  if (!/^[0-9a-f-]{36}$/i.test(projectId)) throw notFound(`project ${projectId} not found`);
  const row = await db('projects')
    .join('memberships', 'memberships.tenant_id', 'projects.tenant_id')
    .where({ 'projects.id': projectId, 'memberships.user_id': principal.userId })
    .first('projects.tenant_id', 'memberships.role');
  if (!row) throw notFound(`project ${projectId} not found`);
  if (!roles.includes(row.role)) throw forbidden(`role "${row.role}" may not ${action}`);
  return { tenantId: row.tenant_id, projectId, role: row.role, userId: principal.userId };
}
