import type { Knex } from 'knex';

/**
 * The audit log becomes append-only: a statement trigger refuses UPDATE and TRUNCATE always, and
 * DELETE unless the transaction ran `SET LOCAL observa.audit_prune = 'on'`, which only the retention
 * pruner (stores/control/audit-log-pruner.ts) does. This keeps application bugs and SQL injected
 * through the collector's own queries from rewriting history; the database owner can still drop the
 * trigger, so it is not a defence against someone who holds the database.
 *
 * Indexes: tenant reads page newest first by id; pruning and instance-level reads go by time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('observa.audit_prune', true) = 'on' THEN
        RETURN NULL;
      END IF;
      RAISE EXCEPTION 'audit_logs is append-only: % is not allowed', TG_OP
        USING HINT = 'only the audit retention pruner deletes entries (OBSERVA_AUDIT_RETENTION_DAYS)';
    END
    $$`);
  await knex.raw(`
    CREATE TRIGGER audit_logs_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION audit_logs_append_only()`);
  await knex.schema.alterTable('audit_logs', (t) => {
    t.index(['tenant_id', 'id']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_logs', (t) => {
    t.dropIndex(['tenant_id', 'id']);
    t.dropIndex(['created_at']);
  });
  await knex.raw('DROP TRIGGER IF EXISTS audit_logs_append_only ON audit_logs');
  await knex.raw('DROP FUNCTION IF EXISTS audit_logs_append_only()');
}
