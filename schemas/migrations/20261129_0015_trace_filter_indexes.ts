import type { Knex } from 'knex';

/**
 * Two traces-list filters that walked the newest-first index and dropped every row that did not
 * match, so a page cost rows read in inverse proportion to how common the match was (status=error in
 * a project with 0.1% failed traces: ~50 000 rows for one page of 50; a rare tag: the whole project):
 * - status=error reads a partial index holding only traces with an error, already newest first;
 * - tag=… gets a GIN index like models, which the planner takes when its statistics say the tag is rare.
 * Both cost little on the write path: the partial index holds only failed traces, and a trace has few tags.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX trace_summaries_errors ON trace_summaries (project_id, start_time DESC, trace_id DESC) WHERE error_count > 0');
  await knex.raw('CREATE INDEX trace_summaries_tags ON trace_summaries USING GIN (tags)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX trace_summaries_errors, trace_summaries_tags');
}
