/**
 * Where one tenant's analytics live in Tinybird. In a shared workspace every tenant gets the
 * deployment default (tenant_id is stamped on each event and fixed in every read token); a tenant
 * with its own workspace (hard isolation) gets its own host and tokens.
 */
export interface TinybirdTarget {
  /** API base URL of the workspace's region, e.g. https://api.tinybird.co (no trailing slash). */
  host: string;
  /** Events API token with DATASOURCES:APPEND on the events datasource. */
  appendToken: string;
  /** The workspace admin token: only signs the short-lived read JWTs (reads never send it). */
  adminToken: string;
  workspaceId: string;
}

/** Resolves a tenant's target (its own settings, else the deployment default). */
export interface TinybirdTargets {
  forTenant(tenantId: string): Promise<TinybirdTarget>;
}
