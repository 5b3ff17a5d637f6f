/**
 * Removes traces from the control plane inside the caller's transaction: their summaries, scores,
 * seen span keys and OTLP log records (which hold prompt text), then recomputes their sessions and conversations from the traces left
 * (pipeline/recompute-groups.ts), so totals stay right and a group left without traces goes. The
 * analytics side is the deletion executor's job.
 */
import type { Knex } from 'knex';
import { recomputeGroups } from '../pipeline/recompute-groups.ts';

/** Control-plane rows removed, by table (sessions and conversations that lost only some traces are recomputed, not counted). */
export interface RemovedRows {
  traces: number;
  scores: number;
  seen_spans: number;
  log_records: number;
  sessions: number;
  conversations: number;
}

export const NOTHING_REMOVED: RemovedRows = { traces: 0, scores: 0, seen_spans: 0, log_records: 0, sessions: 0, conversations: 0 };

export function addRemoved(a: RemovedRows, b: RemovedRows): RemovedRows {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof RemovedRows]])) as unknown as RemovedRows;
}

/** Which of a project's traces go: a where-clause on trace_summaries. */
export type TraceFilter = (query: Knex.QueryBuilder) => Knex.QueryBuilder;

/** Removes the project's traces the filter selects; returns their ids and the rows removed. */
export async function removeTraces(trx: Knex.Transaction, projectId: string, filter: TraceFilter): Promise<{ traceIds: string[]; removed: RemovedRows }> {
  const gone: { trace_id: string; session_id: string | null; conversation_id: string | null }[] = await filter(trx('trace_summaries').where('project_id', projectId))
    .delete()
    .returning(['trace_id', 'session_id', 'conversation_id']);
  if (gone.length === 0) return { traceIds: [], removed: NOTHING_REMOVED };
  const traceIds = gone.map((t) => t.trace_id);
  // One array parameter, not an IN list of thousands of values.
  const ofTraces = (table: string) => deleteCounted(trx, `DELETE FROM ${table} WHERE project_id = ? AND trace_id = ANY(?)`, [projectId, traceIds]);
  const scores = await ofTraces('scores');
  const seenSpans = await ofTraces('seen_spans');
  const logRecords = await ofTraces('span_log_records');
  const sessions = await recomputeGroups(trx, 'sessions', projectId, gone.map((t) => t.session_id));
  const conversations = await recomputeGroups(trx, 'conversations', projectId, gone.map((t) => t.conversation_id));
  return { traceIds, removed: { traces: gone.length, scores, seen_spans: seenSpans, log_records: logRecords, sessions, conversations } };
}

/**
 * Runs a DELETE and returns how many rows it removed, the same way on Postgres and PGlite (whose knex
 * driver does not turn a delete's result into a count).
 */
export async function deleteCounted(trx: Knex.Transaction, deleteSql: string, bindings: readonly Knex.RawBinding[]): Promise<number> {
  const { rows } = await trx.raw(`WITH gone AS (${deleteSql} RETURNING 1) SELECT count(*)::int AS n FROM gone`, bindings);
  return Number(rows[0].n);
}
