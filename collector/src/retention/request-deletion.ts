/**
 * A deletion request, in one Postgres transaction: the control-plane rows go at once (traces with
 * their scores, span keys, and recomputed sessions and conversations; or the project row, whose
 * foreign keys cascade), a job is recorded for the analytics side, and the request is audited with
 * the rows removed. Lists and trace detail stop showing the data as soon as this commits.
 */
import type { Knex } from 'knex';
import { recordAudit } from '../api/audit.ts';
import { DELETION_AUDIT, insertDeletionJob, type RequestedKind } from './deletion-jobs.ts';
import { deleteCounted, removeTraces, type TraceFilter } from './remove-traces.ts';

export interface DeletionRequest {
  tenantId: string;
  projectId: string;
  kind: RequestedKind;
  /** The trace, session, end-user or project id. */
  target: string;
  actor: { userId: string | null; apiKeyId: string | null; ip: string | null };
}

export interface RequestedDeletion {
  deletion_id: string;
  status: 'pending';
  removed: Record<string, number>;
}

const FILTERS: Record<'trace' | 'session' | 'end_user', (target: string) => TraceFilter> = {
  trace: (id) => (q) => q.where('trace_id', id),
  session: (id) => (q) => q.where('session_id', id),
  end_user: (id) => (q) => q.where('user_id', id),
};

/**
 * Performs the control-plane part and records the job. Null when a trace or session has nothing to
 * delete (the route answers 404); an end user's deletion is recorded even then, since spans may carry
 * the user id in traces attributed to someone else.
 */
export async function requestDeletion(db: Knex, request: DeletionRequest): Promise<RequestedDeletion | null> {
  return db.transaction(async (trx) => {
    const { tenantId, projectId, kind, target } = request;
    let removed: Record<string, number>;
    let traceIds: string[] = [];
    if (kind === 'project') {
      removed = await removeProject(trx, tenantId, projectId);
    } else {
      const result = await removeTraces(trx, projectId, FILTERS[kind](target));
      if (result.traceIds.length === 0 && kind !== 'end_user') return null;
      traceIds = result.traceIds;
      removed = { ...result.removed };
    }
    const id = await insertDeletionJob(trx, { tenantId, projectId, kind, target, traceIds, removed, requestedBy: request.actor });
    await recordAudit(trx, {
      ...DELETION_AUDIT[kind], tenantId, actorUserId: request.actor.userId, actorApiKeyId: request.actor.apiKeyId, ip: request.actor.ip,
      targetId: target, details: { deletion_id: id, project_id: projectId, status: 'pending', removed },
    });
    return { deletion_id: id, status: 'pending' as const, removed };
  });
}

/** What a project's deletion reports, by the tables its row cascades to. */
const CASCADED = { traces: 'trace_summaries', sessions: 'sessions', conversations: 'conversations', scores: 'scores', api_keys: 'api_keys' };

/** Counts what the project row takes with it, removes the span keys and log records (no foreign key), then the row. */
async function removeProject(trx: Knex.Transaction, tenantId: string, projectId: string): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const [name, table] of Object.entries(CASCADED)) removed[name] = Number((await trx(table).where('project_id', projectId).count({ n: '*' }).first())?.n ?? 0);
  removed.seen_spans = await deleteCounted(trx, 'DELETE FROM seen_spans WHERE project_id = ?', [projectId]);
  removed.log_records = await deleteCounted(trx, 'DELETE FROM span_log_records WHERE project_id = ?', [projectId]);
  await trx('projects').where({ id: projectId, tenant_id: tenantId }).delete();
  return removed;
}
