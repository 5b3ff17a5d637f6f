import type { Knex } from 'knex';

/**
 * Usage nesting is now decided in memory from one read of the touched traces' spans by primary key
 * (pipeline/usage-nesting.ts), not by a recursive query walking parent links: the index on those links
 * only cost every ingested span an index insert.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX seen_spans_children');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX seen_spans_children ON seen_spans (project_id, trace_id, parent_span_id)');
}
