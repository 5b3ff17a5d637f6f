/**
 * Who a request's token is. Static tokens carry Tinybird scopes (`ADMIN`, `DATASOURCES:APPEND:<ds>`,
 * `PIPES:READ:<pipe>`); read JWTs are HS256-signed with the workspace admin token, carry
 * `{workspace_id, name, exp, scopes:[{type:'PIPES:READ', resource, fixed_params}], limits:{rps}}`, and
 * are for reads only, never for ingestion (reference: "Tokens and tenant isolation").
 */
import { errors, jwtVerify } from 'jose';

export interface StaticToken {
  token: string;
  /** Tinybird scope strings, e.g. `ADMIN`, `DATASOURCES:APPEND:events`, `PIPES:READ:trace_spans`. */
  scopes: string[];
}

export interface JwtScope {
  type: string;
  resource: string;
  fixed_params?: Record<string, unknown>;
}

export type Grant =
  | { kind: 'static'; token: string; scopes: string[] }
  | { kind: 'jwt'; name: string; scopes: JwtScope[]; rps: number | null };

export class TokenAuth {
  private readonly statics = new Map<string, string[]>();
  private readonly key: Uint8Array;

  constructor(
    adminToken: string,
    private readonly workspaceId: string,
    tokens: StaticToken[],
  ) {
    this.key = new TextEncoder().encode(adminToken);
    this.statics.set(adminToken, ['ADMIN']);
    for (const t of tokens) this.statics.set(t.token, t.scopes);
  }

  /** The grant behind a bearer token, or the 403 message. */
  async identify(token: string | null): Promise<Grant | { denied: string }> {
    if (!token) return { denied: 'Missing token: pass it as Authorization: Bearer <token>' };
    const scopes = this.statics.get(token);
    if (scopes) return { kind: 'static', token, scopes };
    if (token.split('.').length !== 3) return { denied: 'Invalid token' };
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], requiredClaims: ['exp'] });
      if (payload.workspace_id !== this.workspaceId) return { denied: 'Invalid token: wrong workspace_id' };
      const limits = payload.limits as { rps?: number } | undefined;
      return {
        kind: 'jwt',
        name: String(payload.name ?? ''),
        scopes: Array.isArray(payload.scopes) ? (payload.scopes as JwtScope[]) : [],
        rps: typeof limits?.rps === 'number' ? limits.rps : null,
      };
    } catch (err) {
      return { denied: err instanceof errors.JWTExpired ? 'Invalid token: the JWT has expired' : 'Invalid token: JWT verification failed' };
    }
  }
}

/** Static ADMIN or `DATASOURCES:APPEND:<ds>`; a JWT never appends. */
export function canAppend(grant: Grant, datasource: string): boolean {
  return grant.kind === 'static' && (grant.scopes.includes('ADMIN') || grant.scopes.includes(`DATASOURCES:APPEND:${datasource}`));
}

/**
 * Whether the grant reads `pipe`, and the params it fixes: a JWT scope's `fixed_params` win over
 * whatever the caller passed ("fixed_params cannot be overridden by the caller").
 */
export function pipeAccess(grant: Grant, pipe: string): { fixedParams: Record<string, string> } | null {
  if (grant.kind === 'static') {
    const ok = grant.scopes.includes('ADMIN') || grant.scopes.includes(`PIPES:READ:${pipe}`);
    return ok ? { fixedParams: {} } : null;
  }
  const scope = grant.scopes.find((s) => s.type === 'PIPES:READ' && s.resource === pipe);
  if (!scope) return null;
  const fixed = Object.entries(scope.fixed_params ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]);
  return { fixedParams: Object.fromEntries(fixed) };
}
