/**
 * Sessions and conversations are recomputed from their trace summaries rather than incremented, so
 * counting distinct traces stays right whichever batch a trace's spans arrive in. The ingest
 * transaction (write-batch.ts) and deletions (retention/remove-traces.ts) recompute the groups they
 * touched.
 */
import type { Knex } from 'knex';

/**
 * Recomputes the project's groups named in `groupIds` (repeats and nulls, as read off traces, are
 * skipped); returns how many of them are gone (no trace left).
 */
export async function recomputeGroups(trx: Knex.Transaction, table: 'sessions' | 'conversations', projectId: string, groupIds: readonly (string | null)[]): Promise<number> {
  const ids = [...new Set(groupIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return 0;
  const idColumn = table === 'sessions' ? 'session_id' : 'conversation_id';
  const extra = table === 'conversations' ? 'max(ts.session_id) AS session_id,' : '';
  const extraCol = table === 'conversations' ? 'session_id,' : '';
  const columns = 'user_id, start_time, end_time, trace_count, span_count, llm_call_count, error_count, input_tokens, output_tokens, total_tokens, total_cost_usd, models';
  await trx.raw(
    `INSERT INTO ${table} (tenant_id, project_id, ${idColumn}, ${extraCol} ${columns}, updated_at)
     SELECT ts.tenant_id, ts.project_id, ts.${idColumn}, ${extra} max(ts.user_id), min(ts.start_time), max(ts.end_time), count(*),
            sum(ts.span_count), sum(ts.llm_call_count), sum(ts.error_count), sum(ts.input_tokens), sum(ts.output_tokens),
            sum(ts.total_tokens), sum(ts.total_cost_usd),
            COALESCE((SELECT array_agg(DISTINCT m COLLATE "C" ORDER BY m COLLATE "C") FROM trace_summaries x CROSS JOIN LATERAL unnest(x.models) m
                      WHERE x.project_id = ts.project_id AND x.${idColumn} = ts.${idColumn}), '{}'),
            now()
     FROM trace_summaries ts
     WHERE ts.project_id = ? AND ts.${idColumn} = ANY(?)
     GROUP BY ts.tenant_id, ts.project_id, ts.${idColumn}
     ON CONFLICT (project_id, ${idColumn}) DO UPDATE SET
       ${[...(table === 'conversations' ? ['session_id'] : []), ...columns.split(', '), 'updated_at'].map((c) => `${c} = excluded.${c}`).join(', ')}`,
    [projectId, ids],
  );
  // A group whose last trace moved to another id (the root span brought a different session) is gone.
  const gone = await trx.raw(
    `DELETE FROM ${table} g WHERE g.project_id = ? AND g.${idColumn} = ANY(?)
     AND NOT EXISTS (SELECT 1 FROM trace_summaries ts WHERE ts.project_id = g.project_id AND ts.${idColumn} = g.${idColumn})`,
    [projectId, ids],
  );
  return Number(gone.rowCount);
}
