import type { Knex } from 'knex';

/**
 * Delivery state of the outbox, visible to operators and tenants:
 * - a batch the analytics store refuses for good (Tinybird 400/403/404/413/422) is dead-lettered with
 *   the reason instead of being retried forever; it can be re-queued once the cause is fixed;
 * - rows the store accepted but quarantined (Tinybird `quarantined_rows`) are counted per tenant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('ingest_outbox', (t) => {
    t.timestamp('dead_lettered_at', { useTz: true }).nullable();
  });
  await knex.raw('CREATE INDEX ingest_outbox_dead ON ingest_outbox (tenant_id, dead_lettered_at) WHERE dead_lettered_at IS NOT NULL');

  await knex.schema.createTable('analytics_delivery_stats', (t) => {
    t.uuid('tenant_id').primary().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('quarantined_rows').notNullable().defaultTo(0);
    t.timestamp('last_quarantine_at', { useTz: true }).nullable();
    t.bigInteger('dead_lettered_batches').notNullable().defaultTo(0);
    t.text('last_dead_letter_reason').nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('analytics_delivery_stats');
  await knex.raw('DROP INDEX IF EXISTS ingest_outbox_dead');
  await knex.schema.alterTable('ingest_outbox', (t) => t.dropColumn('dead_lettered_at'));
}
