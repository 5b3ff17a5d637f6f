/**
 * Short-lived read tokens for pipe endpoints: JWTs signed (HS256) with the workspace admin token,
 * each allowing one pipe with tenant_id fixed, so a read can never see another tenant's rows whatever
 * parameters it sends. Tinybird groups rate limits by the JWT `name`, hence one name per tenant.
 * Tokens are cached per tenant and pipe and renewed shortly before they expire; a changed admin
 * token or workspace (tenant settings updated) signs a new one at once.
 */
import { SignJWT } from 'jose';
import type { TinybirdTarget } from './tinybird-target.ts';

export interface ReadTokenOptions {
  ttlSeconds: number;
  /** Renew a cached token this long before it expires, so none expires in flight. */
  renewBeforeSeconds: number;
  now: () => number;
}

const DEFAULTS: ReadTokenOptions = { ttlSeconds: 600, renewBeforeSeconds: 60, now: Date.now };
// Tenants x pipes is small, but a long-running process should not keep expired tokens forever.
const PRUNE_ABOVE = 10_000;

interface Cached {
  token: string;
  expiresAtMs: number;
  signedFor: string;
}

export class ReadTokens {
  private readonly options: ReadTokenOptions;
  private readonly cache = new Map<string, Cached>();

  constructor(options: Partial<ReadTokenOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  async tokenFor(tenantId: string, pipe: string, target: TinybirdTarget): Promise<string> {
    const key = `${tenantId}\u0000${pipe}`;
    const signedFor = `${target.workspaceId}\u0000${target.adminToken}`;
    const nowMs = this.options.now();
    const cached = this.cache.get(key);
    if (cached && cached.signedFor === signedFor && cached.expiresAtMs - this.options.renewBeforeSeconds * 1000 > nowMs) return cached.token;

    const exp = Math.floor(nowMs / 1000) + this.options.ttlSeconds;
    const token = await new SignJWT({
      workspace_id: target.workspaceId,
      name: `observa-tenant-${tenantId}`,
      scopes: [{ type: 'PIPES:READ', resource: pipe, fixed_params: { tenant_id: tenantId } }],
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(target.adminToken));
    if (this.cache.size >= PRUNE_ABOVE) this.prune(nowMs);
    this.cache.set(key, { token, expiresAtMs: exp * 1000, signedFor });
    return token;
  }

  private prune(nowMs: number): void {
    for (const [key, cached] of this.cache) if (cached.expiresAtMs <= nowMs) this.cache.delete(key);
  }
}
