/**
 * Loads the read benchmark's control plane: the trace summaries and sessions that seed-analytics.ts
 * derived from the events, then scores on some traces (the trace detail reads them).
 *
 * As a bulk load, not as ingestion would: the secondary indexes the migrations made are dropped and
 * rebuilt after the COPY (one sorted build instead of a million inserts each), and COPY FREEZE writes
 * the rows already frozen. VACUUM ANALYZE then leaves the tables as autovacuum would once they stop
 * growing (visibility map set, statistics taken; this server runs with autovacuum off). The CSV rows
 * come in start-time order, so the heap is laid out as ingestion leaves it (newest traces together).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { SESSION_COLUMNS, SUMMARY_COLUMNS } from './seed-analytics.ts';

const run = promisify(execFile);

export interface ControlPlaneSeed {
  databaseUrl: string;
  summariesCsv: string;
  sessionsCsv: string;
  detailTraceId: string;
}

/** TRUNCATE and COPY … FREEZE in one transaction (FREEZE needs the table emptied in the same one). */
async function copyCsv(databaseUrl: string, table: string, columns: readonly string[], file: string): Promise<void> {
  // ClickHouse writes NULL as an unquoted \N.
  const copy = `\\copy ${table} (${columns.join(', ')}) FROM '${file}' WITH (FORMAT csv, NULL '\\N', FREEZE true)`;
  await run('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', 'BEGIN', '-c', `TRUNCATE ${table}`, '-c', copy, '-c', 'COMMIT'], { maxBuffer: 16 * 1024 * 1024 });
}

/** Drops a table's secondary indexes, runs `load`, then builds them again from their own definitions. */
async function withIndexesRebuilt(client: pg.Client, table: string, load: () => Promise<void>): Promise<void> {
  const { rows } = await client.query<{ name: string; definition: string }>(`
    SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
    WHERE i.schemaname = current_schema() AND i.tablename = $1
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`, [table]);
  for (const index of rows) await client.query(`DROP INDEX ${index.name}`);
  await load();
  for (const index of rows) await client.query(index.definition);
}

export async function seedControlPlane(seed: ControlPlaneSeed): Promise<void> {
  const client = new pg.Client({ connectionString: seed.databaseUrl });
  await client.connect();
  try {
    await client.query("SET maintenance_work_mem = '1GB'");
    await withIndexesRebuilt(client, 'trace_summaries', () => copyCsv(seed.databaseUrl, 'trace_summaries', SUMMARY_COLUMNS, seed.summariesCsv));
    await withIndexesRebuilt(client, 'sessions', () => copyCsv(seed.databaseUrl, 'sessions', SESSION_COLUMNS, seed.sessionsCsv));
    // User feedback on about one trace in a hundred, and a few evaluations on the detail trace.
    await client.query(`
      INSERT INTO scores (id, tenant_id, project_id, trace_id, name, data_type, value_number, value_string, source, created_at, updated_at)
      SELECT gen_random_uuid(), tenant_id, project_id, trace_id, 'user-feedback', 'boolean', (abs(hashtext(trace_id)) % 4 > 0)::int, NULL, 'sdk', end_time, end_time
      FROM trace_summaries WHERE abs(hashtext(trace_id)) % 100 = 0`);
    await client.query(`
      INSERT INTO scores (id, tenant_id, project_id, trace_id, name, data_type, value_number, value_string, source, created_at, updated_at)
      SELECT gen_random_uuid(), tenant_id, project_id, trace_id, s.name, s.data_type, s.value_number, s.value_string, 'api', end_time, end_time
      FROM trace_summaries, (VALUES ('helpfulness', 'numeric', 0.8, NULL), ('correctness', 'numeric', 0.6, NULL), ('tone', 'categorical', NULL, 'friendly'))
        AS s (name, data_type, value_number, value_string)
      WHERE trace_id = $1`, [seed.detailTraceId]);
    await client.query('VACUUM ANALYZE trace_summaries, sessions, scores');
  } finally {
    await client.end();
  }
}
