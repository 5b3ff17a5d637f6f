/**
 * Forgets span keys older than the dedup window. A span re-sent after that would count again in the
 * trace summaries (the analytics store still deduplicates it); OTLP retries happen within minutes.
 */
import type { Knex } from 'knex';

export async function pruneSeenSpans(db: Knex, windowHours: number): Promise<number> {
  return db('seen_spans').where('seen_at', '<', db.raw(`now() - make_interval(hours => ?)`, [windowHours])).delete();
}
