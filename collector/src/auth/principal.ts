/** Who is calling: an API key bound to one project, or a dashboard user with a session. */
export type Scope = 'ingest' | 'read';
export const SCOPES: readonly Scope[] = ['ingest', 'read'];

export interface ApiKeyPrincipal {
  kind: 'api_key';
  keyId: string;
  tenantId: string;
  projectId: string;
  scopes: Scope[];
}

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  sessionId: string;
}

export type Principal = ApiKeyPrincipal | UserPrincipal;
