import type { Knex } from 'knex';

/**
 * Access control: instance administrators (create tenants, set quotas) and one-time invitations into
 * a tenant. An invitation stores only the SHA-256 of its token; the link is shown once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.boolean('is_instance_admin').notNullable().defaultTo(false);
  });
  // An existing deployment's first user (the bootstrap admin) administers the instance.
  await knex.raw('UPDATE users SET is_instance_admin = true WHERE id = (SELECT id FROM users ORDER BY created_at, id LIMIT 1)');

  await knex.schema.createTable('invitations', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('email').notNullable();
    t.text('role').notNullable().checkIn(['owner', 'admin', 'member', 'viewer']);
    t.text('token_hash').notNullable().unique();
    t.uuid('invited_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('accepted_at', { useTz: true }).nullable();
    t.uuid('accepted_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.index(['tenant_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('invitations');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('is_instance_admin');
  });
}
