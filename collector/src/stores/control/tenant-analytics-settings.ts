/**
 * Per-tenant analytics settings (tenant_analytics_settings): a tenant may bring its own Tinybird
 * workspace (host, workspace id, append and admin tokens); tenants without a row use the deployment
 * default from the configuration. Tokens are sealed with SecretBox, bound to tenant and column.
 * Read on every append and query, so cached per process for a few seconds: a change applies on every
 * process within CACHE_MS.
 */
import type { Knex } from 'knex';
import { SecretBox, SecretBoxError } from '../../crypto/secret-box.ts';
import type { TinybirdTarget, TinybirdTargets } from '../analytics/tinybird/tinybird-target.ts';

const CACHE_MS = 5_000;
const TABLE = 'tenant_analytics_settings';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Showing the last four characters helps tell tokens apart; for a short token that would be too much of it.
const LAST4_MIN_LENGTH = 16;

type TokenColumn = 'append_token' | 'admin_token';

export interface TokenView {
  set: boolean;
  last4: string | null;
}

/** What the settings API shows: never a token in clear. */
export interface TenantAnalyticsView {
  host: string | null;
  workspace_id: string | null;
  append_token: TokenView;
  admin_token: TokenView;
  source: 'tenant' | 'default';
  updated_at: string | null;
}

/** A change; omitted fields keep their stored value (all four are needed the first time). */
export type TenantAnalyticsUpdate = Partial<TinybirdTarget>;

/** An update that leaves fields unset (a first one, or after a secret change); `missing` names them as the API spells them. */
export class IncompleteAnalyticsSettings extends Error {
  override name = 'IncompleteAnalyticsSettings';
  constructor(readonly missing: string[]) {
    super(`analytics settings are incomplete: send ${missing.join(', ')} (needed when none are stored, or the stored ones no longer decrypt)`);
  }
}

interface Row {
  host: string;
  append_token_enc: string;
  admin_token_enc: string;
  workspace_id: string;
  updated_at: Date | string;
}

export class TenantAnalyticsSettings implements TinybirdTargets {
  private cache = new Map<string, { target: TinybirdTarget | null; loadedAt: number }>();

  /** `defaults`: the deployment's workspace, null when none is configured (chDB deployments). */
  constructor(
    private readonly db: Knex,
    private readonly box: SecretBox,
    private readonly defaults: TinybirdTarget | null,
  ) {}

  async forTenant(tenantId: string): Promise<TinybirdTarget> {
    let cached = this.cache.get(tenantId);
    if (!cached || Date.now() - cached.loadedAt >= CACHE_MS) {
      const row = await this.row(this.db, tenantId);
      cached = { target: row ? this.open(tenantId, row) : null, loadedAt: Date.now() };
      this.cache.set(tenantId, cached);
    }
    const target = cached.target ?? this.defaults;
    if (!target) throw new Error(`no analytics settings for tenant ${tenantId} and no deployment default (TINYBIRD_* variables)`);
    return target;
  }

  async describe(tenantId: string): Promise<TenantAnalyticsView> {
    const row = await this.row(this.db, tenantId);
    if (!row) {
      // The deployment's tokens are the operator's: a tenant admin learns only that they exist.
      const set = this.defaults !== null;
      return {
        host: this.defaults?.host ?? null, workspace_id: this.defaults?.workspaceId ?? null,
        append_token: { set, last4: null }, admin_token: { set, last4: null }, source: 'default', updated_at: null,
      };
    }
    return {
      host: row.host, workspace_id: row.workspace_id,
      append_token: this.tokenView(tenantId, 'append_token', row.append_token_enc),
      admin_token: this.tokenView(tenantId, 'admin_token', row.admin_token_enc),
      source: 'tenant', updated_at: new Date(row.updated_at).toISOString(),
    };
  }

  /** Stores the merged settings; throws IncompleteAnalyticsSettings when a first update lacks fields. */
  async put(tenantId: string, update: TenantAnalyticsUpdate, userId: string | null): Promise<TenantAnalyticsView> {
    await this.db.transaction(async (trx) => {
      const row = await this.row(trx, tenantId, true);
      const current: Partial<TinybirdTarget> = row ? this.open(tenantId, row, true) : {};
      const next = { ...current, ...Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) };
      const missing = (['host', 'workspaceId', 'appendToken', 'adminToken'] as const).filter((k) => !next[k]);
      if (missing.length > 0) throw new IncompleteAnalyticsSettings(missing.map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)));
      const values = {
        host: next.host!, workspace_id: next.workspaceId!,
        append_token_enc: this.box.seal(next.appendToken!, context(tenantId, 'append_token')),
        admin_token_enc: this.box.seal(next.adminToken!, context(tenantId, 'admin_token')),
        updated_by: userId, updated_at: trx.fn.now(),
      };
      await trx(TABLE).insert({ tenant_id: tenantId, ...values }).onConflict('tenant_id').merge(values);
    });
    this.cache.delete(tenantId);
    return this.describe(tenantId);
  }

  private async row(db: Knex | Knex.Transaction, tenantId: string, forUpdate = false): Promise<Row | undefined> {
    // Tenant ids are uuids; anything else (test fixtures, a stray event) has no row and must not make Postgres throw.
    if (!UUID.test(tenantId)) return undefined;
    const query = db(TABLE).where({ tenant_id: tenantId }).first('host', 'append_token_enc', 'admin_token_enc', 'workspace_id', 'updated_at');
    return forUpdate ? query.forUpdate() : query;
  }

  /**
   * Tokens that no longer decrypt (OBSERVA_SECRET changed) fail loudly on use; an update may still
   * replace them (`lenient`), so an admin can recover by entering the tokens again.
   */
  private open(tenantId: string, row: Row, lenient = false): TinybirdTarget {
    const token = (column: TokenColumn, sealed: string) => {
      try {
        return this.box.open(sealed, context(tenantId, column));
      } catch (err) {
        if (lenient && err instanceof SecretBoxError) return '';
        throw new Error(`the ${column} of tenant ${tenantId}'s analytics settings does not decrypt (was OBSERVA_SECRET changed?); enter it again with PUT /api/v1/tenants/${tenantId}/analytics`);
      }
    };
    return { host: row.host, workspaceId: row.workspace_id, appendToken: token('append_token', row.append_token_enc), adminToken: token('admin_token', row.admin_token_enc) };
  }

  private tokenView(tenantId: string, column: TokenColumn, sealed: string): TokenView {
    try {
      const clear = this.box.open(sealed, context(tenantId, column));
      return { set: true, last4: clear.length >= LAST4_MIN_LENGTH ? clear.slice(-4) : null };
    } catch {
      return { set: true, last4: null };
    }
  }
}

/** Bound into each sealed token, so a value copied to another tenant or column does not decrypt. */
function context(tenantId: string, column: TokenColumn): string {
  return `${TABLE}:${tenantId}:${column}`;
}
