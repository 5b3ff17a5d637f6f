import type { Knex } from 'knex';

/**
 * Rate-limit counters shared by every collector process when no Redis is configured
 * (collector/src/limits/). The columns are the ones rate-limiter-flexible's RateLimiterPostgres reads
 * and writes: one row per limited key, `points` consumed in the window ending at `expire` (epoch ms).
 * Rows whose window ended over an hour ago are deleted by the limiter; the index keeps that cheap.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire').nullable();
    t.index(['expire']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rate_limits');
}
