import type { Knex } from 'knex';

/**
 * The traces list sorts by cost, tokens or duration as well as time (GET /api/v1/traces?sort=). Without
 * these each such page read every trace of the project and kept the top 50 (a full sort: ~140 ms in
 * Postgres at 100 000 traces, growing with the project); with them a page is an index range scan like
 * the newest-first one. The duration index is on the exact expression the list sorts by.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX trace_summaries_by_cost ON trace_summaries (project_id, total_cost_usd DESC, trace_id DESC)');
  await knex.raw('CREATE INDEX trace_summaries_by_tokens ON trace_summaries (project_id, total_tokens DESC, trace_id DESC)');
  await knex.raw('CREATE INDEX trace_summaries_by_duration ON trace_summaries (project_id, (extract(epoch FROM end_time - start_time)) DESC, trace_id DESC)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX trace_summaries_by_cost, trace_summaries_by_tokens, trace_summaries_by_duration');
}
