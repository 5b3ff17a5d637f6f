/**
 * API keys are HS256 JWTs (jose) naming their tenant, project and scopes. The signature proves the
 * claims; the api_keys row proves the key is still live, so a revoked key stops working. Rows are
 * cached briefly: revocation takes effect on every process within KEY_CACHE_MS.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Knex } from 'knex';
import { HttpError } from '../http-error.ts';
import { afterCommit } from '../stores/control/after-commit.ts';
import type { ApiKeyPrincipal, Scope } from './principal.ts';
import { SCOPES } from './principal.ts';

const KEY_CACHE_MS = 5_000;
const ISSUER = 'observa';
const KEY_TYPE = 'api_key';

export interface CreatedKey {
  id: string;
  key: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  project_id: string;
  created_at: string;
}

export class ApiKeys {
  private cache = new Map<string, { live: boolean; checkedAt: number }>();

  constructor(
    private readonly db: Knex,
    private readonly secret: Uint8Array,
  ) {}

  async create(input: { tenantId: string; projectId: string; name: string; scopes: Scope[]; createdBy: string | null }, db: Knex = this.db): Promise<CreatedKey> {
    const id = randomUUID();
    const key = await new SignJWT({ typ: KEY_TYPE, tid: input.tenantId, pid: input.projectId, scp: input.scopes })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setJti(id)
      .setIssuedAt()
      .sign(this.secret);
    // The key's last characters identify it in lists without revealing it.
    const prefix = key.slice(-8);
    const [row] = await db('api_keys')
      .insert({ id, tenant_id: input.tenantId, project_id: input.projectId, name: input.name, prefix, scopes: input.scopes, created_by: input.createdBy })
      .returning(['created_at']);
    return { id, key, name: input.name, prefix, scopes: input.scopes, project_id: input.projectId, created_at: new Date(row.created_at).toISOString() };
  }

  /**
   * A new key with the old one's project, name and scopes; the old key is revoked in the same transaction
   * (the caller's `db` when it is one). 409 when the key stopped being live meanwhile (a concurrent rotation).
   */
  async rotate(id: string, createdBy: string | null, db: Knex = this.db): Promise<CreatedKey> {
    const rotateIn = async (trx: Knex) => {
      const old = await trx('api_keys').where({ id }).whereNull('revoked_at').forUpdate().first('tenant_id', 'project_id', 'name', 'scopes');
      if (!old) throw new HttpError(409, `API key ${id} was revoked or rotated meanwhile`);
      await trx('api_keys').where({ id }).update({ revoked_at: trx.fn.now() });
      return this.create({ tenantId: old.tenant_id, projectId: old.project_id, name: old.name, scopes: old.scopes, createdBy }, trx);
    };
    const created = db.isTransaction ? await rotateIn(db) : await db.transaction(rotateIn);
    afterCommit(db, () => this.cache.delete(id));
    return created;
  }

  async revoke(id: string, db: Knex = this.db): Promise<void> {
    await db('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
    afterCommit(db, () => this.cache.delete(id));
  }

  /** Returns the key's principal, or a reason it is refused. Never throws for a bad key. */
  async verify(key: string): Promise<ApiKeyPrincipal | { refused: string }> {
    let claims;
    try {
      ({ payload: claims } = await jwtVerify(key, this.secret, { issuer: ISSUER, algorithms: ['HS256'] }));
    } catch (err) {
      return { refused: err instanceof joseErrors.JOSEError ? 'API key is not valid' : 'API key could not be read' };
    }
    const { jti, tid, pid, scp, typ } = claims as Record<string, unknown>;
    if (typ !== KEY_TYPE || typeof jti !== 'string' || typeof tid !== 'string' || typeof pid !== 'string' || !Array.isArray(scp)) {
      return { refused: 'API key is not valid' };
    }
    if (!(await this.isLive(jti))) return { refused: 'API key has been revoked' };
    const scopes = scp.filter((s): s is Scope => SCOPES.includes(s as Scope));
    return { kind: 'api_key', keyId: jti, tenantId: tid, projectId: pid, scopes };
  }

  private async isLive(id: string): Promise<boolean> {
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.checkedAt < KEY_CACHE_MS) return cached.live;
    // One statement checks the key and stamps last_used_at (at most once per cache period per process:
    // cheap, and good enough to show "last used"); no row means revoked or unknown.
    const touched = await this.db('api_keys').where({ id }).whereNull('revoked_at').update({ last_used_at: this.db.fn.now() }).returning('id');
    const live = touched.length > 0;
    this.cache.set(id, { live, checkedAt: Date.now() });
    return live;
  }
}
