/**
 * Who may do what: the one table every route's guard reads. A permission names the lowest tenant role
 * that holds it (roles are ordered owner > admin > member > viewer) and the API-key scopes that carry
 * it; an empty scope list means dashboard users only. docs/security.md prints this table.
 */
import type { Scope } from '../auth/principal.ts';

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export const ROLES: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** True when `role` is `minimum` or above it. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

export interface PermissionRule {
  minRole: Role;
  keyScopes: readonly Scope[];
  /** Completes "role X may not ...", for the 403 message. */
  action: string;
}

export const PERMISSIONS = {
  // Project data
  'project:read': { minRole: 'viewer', keyScopes: ['read'], action: 'read this project' },
  'scores:write': { minRole: 'member', keyScopes: ['ingest', 'read'], action: 'record scores' },
  'data:delete': { minRole: 'admin', keyScopes: [], action: 'delete traces, sessions or user data' },
  // Project administration
  'project:settings': { minRole: 'admin', keyScopes: [], action: 'change project settings' },
  'api_keys:manage': { minRole: 'admin', keyScopes: [], action: 'manage API keys' },
  'delivery:retry': { minRole: 'admin', keyScopes: [], action: 're-queue dead-lettered batches' },
  'project:delete': { minRole: 'owner', keyScopes: [], action: 'delete projects' },
  // Tenant administration
  'projects:create': { minRole: 'admin', keyScopes: [], action: 'create projects' },
  'members:read': { minRole: 'viewer', keyScopes: [], action: 'see members' },
  'members:manage': { minRole: 'admin', keyScopes: [], action: 'manage members and invitations' },
  'tenant:settings': { minRole: 'admin', keyScopes: [], action: 'change tenant settings' },
  'tenant:usage': { minRole: 'viewer', keyScopes: [], action: 'see usage and quota' },
  'audit:read': { minRole: 'admin', keyScopes: [], action: 'read the audit log' },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;
