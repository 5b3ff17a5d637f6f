import type { Knex } from 'knex';

/**
 * Dashboard sessions: `last_seen_at` for sliding renewal (and the session list), and the indexes the
 * login throttle's counts of recent failures per account and per IP read from the audit log.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('user_sessions', (t) => {
    t.timestamp('last_seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('audit_logs', (t) => {
    t.index(['action', 'target_id', 'created_at'], 'audit_logs_action_target_created_idx');
    t.index(['action', 'ip', 'created_at'], 'audit_logs_action_ip_created_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_logs', (t) => {
    t.dropIndex([], 'audit_logs_action_ip_created_idx');
    t.dropIndex([], 'audit_logs_action_target_created_idx');
  });
  await knex.schema.alterTable('user_sessions', (t) => {
    t.dropColumn('last_seen_at');
  });
}
