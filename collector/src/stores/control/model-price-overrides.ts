/**
 * Per-project model price overrides (project_model_prices). Read on every ingest, so cached per
 * process for a few seconds: a change applies to events ingested after it, on every process within
 * CACHE_MS. The same array object is returned while cached (the cost engine caches compiled patterns
 * per array).
 */
import type { Knex } from 'knex';
import type { ModelPriceOverride } from '../../costs/index.ts';

const CACHE_MS = 5_000;

export interface StoredOverrides {
  overrides: ModelPriceOverride[];
  updated_at: string | null;
}

export class ModelPriceOverrides {
  private cache = new Map<string, { overrides: ModelPriceOverride[]; loadedAt: number }>();

  constructor(private readonly db: Knex) {}

  /** `db`: the caller's transaction when it holds one (PGlite has a single connection: another would wait for it). */
  async forProject(projectId: string, db: Knex = this.db): Promise<ModelPriceOverride[]> {
    const cached = this.cache.get(projectId);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached.overrides;
    const { overrides } = await this.read(projectId, db);
    this.cache.set(projectId, { overrides, loadedAt: Date.now() });
    return overrides;
  }

  async read(projectId: string, db: Knex = this.db): Promise<StoredOverrides> {
    const row = await db('project_model_prices').where({ project_id: projectId }).first('overrides', 'updated_at');
    return { overrides: row?.overrides ?? [], updated_at: row ? new Date(row.updated_at).toISOString() : null };
  }

  async replace(projectId: string, overrides: ModelPriceOverride[], userId: string): Promise<StoredOverrides> {
    const [row] = await this.db('project_model_prices')
      .insert({ project_id: projectId, overrides: JSON.stringify(overrides), updated_by: userId })
      .onConflict('project_id')
      .merge({ overrides: JSON.stringify(overrides), updated_by: userId, updated_at: this.db.fn.now() })
      .returning(['overrides', 'updated_at']);
    this.cache.delete(projectId);
    return { overrides: row.overrides, updated_at: new Date(row.updated_at).toISOString() };
  }
}
