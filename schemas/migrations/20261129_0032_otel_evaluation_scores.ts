import type { Knex } from 'knex';

/**
 * Scores may also come from OpenTelemetry: a `gen_ai.evaluation.result` log event (an evaluator's
 * verdict on a GenAI operation) becomes a score with source 'otel' (pipeline/evaluation-score.ts).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE scores DROP CONSTRAINT scores_source_check');
  await knex.raw(`ALTER TABLE scores ADD CONSTRAINT scores_source_check CHECK (source IN ('api', 'sdk', 'ui', 'otel'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex('scores').where({ source: 'otel' }).delete();
  await knex.raw('ALTER TABLE scores DROP CONSTRAINT scores_source_check');
  await knex.raw(`ALTER TABLE scores ADD CONSTRAINT scores_source_check CHECK (source IN ('api', 'sdk', 'ui'))`);
}
