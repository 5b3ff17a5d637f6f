import type { Knex } from 'knex';

/**
 * Scores: user feedback and evaluations attached to a trace (and optionally one span), as Langfuse
 * and Phoenix users expect (thumbs up/down, ratings, labels). A score may arrive before its trace.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('scores', (t) => {
    // Ids are chosen by clients (to update a score), so they are unique per project, not globally:
    // one project can neither overwrite nor detect another's score.
    t.uuid('id').notNullable();
    t.uuid('tenant_id').notNullable();
    t.uuid('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.text('trace_id').notNullable();
    t.text('span_id').nullable();
    t.text('name').notNullable();
    t.text('data_type').notNullable().checkIn(['numeric', 'boolean', 'categorical']);
    t.double('value_number').nullable();
    t.text('value_string').nullable();
    t.text('comment').nullable();
    t.text('source').notNullable().checkIn(['api', 'sdk', 'ui']);
    t.uuid('created_by_user').nullable();
    t.uuid('created_by_key').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['project_id', 'id']);
    t.index(['project_id', 'trace_id']);
    t.index(['project_id', 'name', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('scores');
}
