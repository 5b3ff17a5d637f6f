/**
 * How many days a project keeps its events (projects.retention_days), read on every ingest and so
 * cached per process for a few seconds. Enrichment stamps it on each event; the analytics store's
 * TTL drops the event after that many days.
 */
import type { Knex } from 'knex';

const CACHE_MS = 5_000;
const DEFAULT_DAYS = 30;

export class ProjectRetention {
  private cache = new Map<string, { days: number; loadedAt: number }>();

  constructor(private readonly db: Knex) {}

  /** `db`: the caller's transaction when it holds one (PGlite has a single connection: another would wait for it). */
  async days(projectId: string, db: Knex = this.db): Promise<number> {
    const cached = this.cache.get(projectId);
    if (cached && Date.now() - cached.loadedAt < CACHE_MS) return cached.days;
    const row = await db('projects').where({ id: projectId }).first('retention_days');
    const days = Number(row?.retention_days ?? DEFAULT_DAYS);
    this.cache.set(projectId, { days, loadedAt: Date.now() });
    return days;
  }
}
