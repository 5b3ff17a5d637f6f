import type { Knex } from 'knex';

/**
 * The control plane: who (tenants, projects, users, memberships, keys, dashboard sessions), what was
 * ingested (trace summaries, sessions, conversations, usage counters), the audit log, and the ingest
 * outbox that carries canonical events to the analytics store.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instance_settings', (t) => {
    t.text('key').primary();
    t.text('value').notNullable();
  });

  await knex.schema.createTable('tenants', (t) => {
    t.uuid('id').primary();
    t.text('slug').notNullable().unique();
    t.text('name').notNullable();
    t.bigInteger('monthly_event_quota').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('projects', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.text('slug').notNullable();
    t.text('name').notNullable();
    t.integer('retention_days').notNullable().defaultTo(30);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'slug']);
  });

  await knex.schema.createTable('users', (t) => {
    t.uuid('id').primary();
    t.text('email').notNullable().unique();
    t.text('name').notNullable().defaultTo('');
    t.text('password_hash').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('memberships', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('role').notNullable().checkIn(['owner', 'admin', 'member', 'viewer']);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'user_id']);
  });

  await knex.schema.createTable('api_keys', (t) => {
    t.uuid('id').primary();
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.uuid('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('prefix').notNullable();
    t.specificType('scopes', 'text[]').notNullable();
    t.uuid('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('last_used_at', { useTz: true }).nullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.index(['project_id']);
  });

  await knex.schema.createTable('user_sessions', (t) => {
    t.uuid('id').primary();
    t.uuid('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.text('ip').nullable();
    t.index(['user_id']);
  });

  await knex.schema.createTable('trace_summaries', (t) => {
    t.uuid('tenant_id').notNullable();
    t.uuid('project_id').notNullable().references('projects.id').onDelete('CASCADE');
    t.text('trace_id').notNullable();
    t.text('name').notNullable().defaultTo('');
    t.text('root_span_id').notNullable().defaultTo('');
    t.text('service_name').notNullable().defaultTo('');
    t.text('environment').notNullable().defaultTo('');
    t.timestamp('start_time', { useTz: true, precision: 6 }).notNullable();
    t.timestamp('end_time', { useTz: true, precision: 6 }).notNullable();
    t.integer('span_count').notNullable().defaultTo(0);
    t.integer('llm_call_count').notNullable().defaultTo(0);
    t.integer('error_count').notNullable().defaultTo(0);
    t.integer('ok_count').notNullable().defaultTo(0);
    t.bigInteger('input_tokens').notNullable().defaultTo(0);
    t.bigInteger('output_tokens').notNullable().defaultTo(0);
    t.bigInteger('total_tokens').notNullable().defaultTo(0);
    t.bigInteger('cache_read_tokens').notNullable().defaultTo(0);
    t.bigInteger('reasoning_tokens').notNullable().defaultTo(0);
    t.decimal('total_cost_usd', 20, 10).notNullable().defaultTo(0);
    t.text('session_id').nullable();
    t.text('user_id').nullable();
    t.text('conversation_id').nullable();
    t.specificType('models', 'text[]').notNullable().defaultTo('{}');
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
    t.text('input_preview').nullable();
    t.text('output_preview').nullable();
    // Which span the previews came from: the root span wins, else the earliest input / latest output.
    t.smallint('input_preview_rank').notNullable().defaultTo(0);
    t.bigInteger('input_preview_at').nullable();
    t.smallint('output_preview_rank').notNullable().defaultTo(0);
    t.bigInteger('output_preview_at').nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['project_id', 'trace_id']);
  });
  // The traces list: newest first per project, with the common filters.
  await knex.raw('CREATE INDEX trace_summaries_recent ON trace_summaries (project_id, start_time DESC, trace_id DESC)');
  await knex.raw('CREATE INDEX trace_summaries_session ON trace_summaries (project_id, session_id) WHERE session_id IS NOT NULL');
  await knex.raw('CREATE INDEX trace_summaries_user ON trace_summaries (project_id, user_id, start_time DESC) WHERE user_id IS NOT NULL');
  await knex.raw('CREATE INDEX trace_summaries_conversation ON trace_summaries (project_id, conversation_id) WHERE conversation_id IS NOT NULL');
  await knex.raw('CREATE INDEX trace_summaries_models ON trace_summaries USING GIN (models)');

  // Span keys already counted into trace summaries, so a re-sent span changes nothing. Pruned by age.
  await knex.schema.createTable('seen_spans', (t) => {
    t.uuid('project_id').notNullable();
    t.text('trace_id').notNullable();
    t.text('span_id').notNullable();
    t.timestamp('seen_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['project_id', 'trace_id', 'span_id']);
    t.index(['seen_at']);
  });

  for (const table of ['sessions', 'conversations'] as const) {
    await knex.schema.createTable(table, (t) => {
      t.uuid('tenant_id').notNullable();
      t.uuid('project_id').notNullable().references('projects.id').onDelete('CASCADE');
      t.text(table === 'sessions' ? 'session_id' : 'conversation_id').notNullable();
      if (table === 'conversations') t.text('session_id').nullable();
      t.text('user_id').nullable();
      t.timestamp('start_time', { useTz: true, precision: 6 }).notNullable();
      t.timestamp('end_time', { useTz: true, precision: 6 }).notNullable();
      t.integer('trace_count').notNullable().defaultTo(0);
      t.integer('span_count').notNullable().defaultTo(0);
      t.integer('llm_call_count').notNullable().defaultTo(0);
      t.integer('error_count').notNullable().defaultTo(0);
      t.bigInteger('input_tokens').notNullable().defaultTo(0);
      t.bigInteger('output_tokens').notNullable().defaultTo(0);
      t.bigInteger('total_tokens').notNullable().defaultTo(0);
      t.decimal('total_cost_usd', 20, 10).notNullable().defaultTo(0);
      t.specificType('models', 'text[]').notNullable().defaultTo('{}');
      t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
      t.primary(['project_id', table === 'sessions' ? 'session_id' : 'conversation_id']);
      t.index(['project_id', 'end_time']);
    });
  }

  await knex.schema.createTable('usage_counters', (t) => {
    t.uuid('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.date('period_start').notNullable(); // first day of the month (UTC)
    t.bigInteger('events').notNullable().defaultTo(0);
    t.bigInteger('bytes').notNullable().defaultTo(0);
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['tenant_id', 'period_start']);
  });

  await knex.schema.createTable('audit_logs', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').nullable();
    t.uuid('actor_user_id').nullable();
    t.uuid('actor_api_key_id').nullable();
    t.text('action').notNullable();
    t.text('target_type').nullable();
    t.text('target_id').nullable();
    t.text('ip').nullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'created_at']);
  });

  // Mapped canonical events waiting for the analytics store: gzipped NDJSON, one row per ingest batch.
  await knex.schema.createTable('ingest_outbox', (t) => {
    t.bigIncrements('id');
    t.uuid('tenant_id').notNullable();
    t.uuid('project_id').notNullable();
    t.integer('event_count').notNullable();
    t.binary('payload').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('available_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['available_at', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'ingest_outbox', 'audit_logs', 'usage_counters', 'conversations', 'sessions', 'seen_spans',
    'trace_summaries', 'user_sessions', 'api_keys', 'memberships', 'users', 'projects', 'tenants', 'instance_settings',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
