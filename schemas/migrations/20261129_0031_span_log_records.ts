import type { Knex } from 'knex';

/**
 * OTLP log records waiting to join their span, and those already joined (kept for the dedup window so a
 * re-sent record is not joined twice). A record names its span by trace and span id; span_id '' means
 * "the trace's root span". `event` is the record as a span event ({time, name, attributes}), ready to
 * append to the span's canonical event. The log joiner (pipeline/log-joiner.ts) claims pending rows whose
 * span has been seen and shipped, and backs off (available_at) when the span is not readable yet.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('span_log_records', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable();
    t.uuid('project_id').notNullable();
    t.text('trace_id').notNullable();
    t.text('span_id').notNullable();
    t.text('record_hash').notNullable();
    t.jsonb('event').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('available_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('merged_at', { useTz: true }).nullable();
    // Set when joined: the span it joined (a record without a span id joins the root) and the outbox row
    // carrying that completed version; the span is not completed again before that row is shipped.
    t.text('joined_span_id').nullable();
    t.bigInteger('outbox_id').nullable();
    t.unique(['project_id', 'trace_id', 'span_id', 'record_hash']);
    t.index(['received_at']);
  });
  await knex.raw('CREATE INDEX span_log_records_pending ON span_log_records (available_at) WHERE merged_at IS NULL');
  // The joiner asks "is a batch of this project older than the span still in the outbox?" per record.
  await knex.raw('CREATE INDEX ingest_outbox_project_age ON ingest_outbox (project_id, created_at) WHERE dead_lettered_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ingest_outbox_project_age');
  await knex.schema.dropTable('span_log_records');
}
