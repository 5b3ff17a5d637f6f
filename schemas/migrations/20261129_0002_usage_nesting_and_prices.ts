import type { Knex } from 'knex';

/**
 * Counting each model call once, and pricing it:
 * - seen_spans remembers each span's parent and usage state, so a wrapper span and its provider call
 *   (which report the same usage) are counted once whichever arrives first;
 * - project_model_prices holds per-project price overrides (applied to new events);
 * - trace_summaries.unpriced_models names models seen without a price, so users can add one.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('seen_spans', (t) => {
    t.text('parent_span_id').notNullable().defaultTo('');
    // 0: no usage; 1: usage not counted (a nested span counts it); 2: usage counted in the totals.
    t.smallint('usage_state').notNullable().defaultTo(0);
  });
  await knex.raw('CREATE INDEX seen_spans_children ON seen_spans (project_id, trace_id, parent_span_id)');

  await knex.schema.createTable('project_model_prices', (t) => {
    t.uuid('project_id').primary().references('projects.id').onDelete('CASCADE');
    t.jsonb('overrides').notNullable().defaultTo('[]');
    t.uuid('updated_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.alterTable('trace_summaries', (t) => {
    t.specificType('unpriced_models', 'text[]').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('trace_summaries', (t) => t.dropColumn('unpriced_models'));
  await knex.schema.dropTableIfExists('project_model_prices');
  await knex.raw('DROP INDEX IF EXISTS seen_spans_children');
  await knex.schema.alterTable('seen_spans', (t) => {
    t.dropColumn('usage_state');
    t.dropColumn('parent_span_id');
  });
}
