import type { Knex } from 'knex';

/**
 * Deletion jobs: a request to delete a trace, a session, an end user's data or a project (or a
 * retention sweep) removes the control-plane rows at once and records a job here; a background
 * executor removes the spans from the analytics store once every outbox batch of the project written
 * before `outbox_cutoff` has been delivered. No foreign key to projects: a project's deletion outlives
 * its project row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('deletion_jobs', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable();
    t.uuid('project_id').notNullable();
    t.text('kind').notNullable().checkIn(['trace', 'session', 'end_user', 'project', 'retention']);
    // The trace, session, end-user or project id; for retention, the cutoff as RFC 3339.
    t.text('target').notNullable();
    // Traces removed from the control plane, whose spans the analytics delete removes (emptied once done).
    t.specificType('trace_ids', 'text[]').notNullable().defaultTo('{}');
    // Retention: spans that started before this go.
    t.timestamp('older_than', { useTz: true }).nullable();
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'running', 'done', 'failed']);
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('available_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // Outbox rows of the project created up to this instant must be delivered (or dead-lettered) first.
    t.timestamp('outbox_cutoff', { useTz: true }).notNullable();
    t.text('error').nullable();
    // Control-plane rows removed with the request, by table.
    t.jsonb('removed').notNullable().defaultTo('{}');
    t.bigInteger('analytics_rows').nullable();
    t.uuid('requested_by_user').nullable();
    t.uuid('requested_by_key').nullable();
    t.text('requested_ip').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('finished_at', { useTz: true }).nullable();
    t.index(['tenant_id', 'created_at']);
  });
  // What the executor claims.
  await knex.raw("CREATE INDEX deletion_jobs_due ON deletion_jobs (available_at) WHERE status IN ('pending', 'running')");
  // One open retention job per project: a later sweep moves its cutoff forward instead of queueing another.
  await knex.raw("CREATE UNIQUE INDEX deletion_jobs_retention_open ON deletion_jobs (project_id) WHERE kind = 'retention' AND status IN ('pending', 'running')");
  // The executor's question: does the project still have undelivered batches from before the request?
  await knex.raw('CREATE INDEX ingest_outbox_project_pending ON ingest_outbox (project_id, created_at) WHERE dead_lettered_at IS NULL');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX IF EXISTS ingest_outbox_project_pending');
  await knex.schema.dropTableIfExists('deletion_jobs');
}
