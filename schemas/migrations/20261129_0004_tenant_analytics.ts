import type { Knex } from 'knex';

/**
 * Per-tenant analytics settings: a tenant with its own Tinybird workspace (hard isolation) has its
 * host, workspace and tokens here; a tenant without a row uses the deployment default. Tokens are
 * stored sealed (AES-256-GCM, collector/src/crypto/secret-box.ts), never in clear.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenant_analytics_settings', (t) => {
    t.uuid('tenant_id').primary().references('tenants.id').onDelete('CASCADE');
    t.text('host').notNullable();
    t.text('append_token_enc').notNullable();
    t.text('admin_token_enc').notNullable();
    t.text('workspace_id').notNullable();
    t.uuid('updated_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tenant_analytics_settings');
}
