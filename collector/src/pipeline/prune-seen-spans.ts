/**
 * Forgets span keys older than the dedup window. A span re-sent after that would count again in the
 * trace summaries (the analytics store still deduplicates it); OTLP retries happen within minutes.
 * Log records go with them: joined ones were kept to recognise a re-sent record, and pending ones
 * whose span has not come in that time (sampled out, never exported) will not join.
 */
import type { Knex } from 'knex';

export async function pruneSeenSpans(db: Knex, windowHours: number): Promise<number> {
  const cutoff = () => db.raw(`now() - make_interval(hours => ?)`, [windowHours]);
  await db('span_log_records').where('received_at', '<', cutoff()).delete();
  return db('seen_spans').where('seen_at', '<', cutoff()).delete();
}
