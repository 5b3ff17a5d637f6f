/**
 * The deletion_jobs table: one row per deletion (or retention sweep of a project), from the request
 * to `done` or `failed`. Rows are written in the caller's transaction, claimed by the executor with a
 * lease, and read back by GET /api/v1/deletions/:deletionId.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { RemovedRows } from './remove-traces.ts';

export type DeletionKind = 'trace' | 'session' | 'end_user' | 'project' | 'retention';
export type DeletionStatus = 'pending' | 'running' | 'done' | 'failed';
/** The kinds someone asks for (retention is the sweeper's). */
export type RequestedKind = Exclude<DeletionKind, 'retention'>;

/** How each requested deletion is audited, at the request and again when it ends. */
export const DELETION_AUDIT: Record<RequestedKind, { action: string; targetType: string }> = {
  trace: { action: 'trace.delete', targetType: 'trace' },
  session: { action: 'session.delete', targetType: 'session' },
  end_user: { action: 'end_user.delete', targetType: 'end_user' },
  project: { action: 'project.delete', targetType: 'project' },
};

export interface DeletionJob {
  id: string;
  tenant_id: string;
  project_id: string;
  kind: DeletionKind;
  target: string;
  trace_ids: string[];
  older_than: Date | null;
  status: DeletionStatus;
  attempts: number;
  error: string | null;
  removed: Partial<RemovedRows> & Record<string, number>;
  analytics_rows: string | number | null;
  requested_by_user: string | null;
  requested_by_key: string | null;
  requested_ip: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface NewDeletionJob {
  tenantId: string;
  projectId: string;
  kind: DeletionKind;
  target: string;
  traceIds?: string[];
  olderThan?: Date;
  removed: Record<string, number>;
  requestedBy?: { userId: string | null; apiKeyId: string | null; ip: string | null };
}

/**
 * Records a job inside the request's transaction. Its outbox cutoff is the clock at this point, after
 * the control-plane rows went: any ingest that began before it is waited for.
 */
export async function insertDeletionJob(trx: Knex.Transaction, job: NewDeletionJob): Promise<string> {
  const id = randomUUID();
  await trx('deletion_jobs').insert({
    id,
    tenant_id: job.tenantId,
    project_id: job.projectId,
    kind: job.kind,
    target: job.target,
    trace_ids: job.traceIds ?? [],
    older_than: job.olderThan ?? null,
    removed: JSON.stringify(job.removed),
    outbox_cutoff: trx.raw('clock_timestamp()'),
    requested_by_user: job.requestedBy?.userId ?? null,
    requested_by_key: job.requestedBy?.apiKeyId ?? null,
    requested_ip: job.requestedBy?.ip ?? null,
  });
  return id;
}

/**
 * Queues (or moves forward) the project's retention job: one open job per project, whose cutoff a
 * later sweep advances. A job running meanwhile sees the moved cutoff when it finishes and runs again.
 * Each sweep chunk adds its removed rows to the job's counts; the target always names the cutoff kept.
 */
export async function queueRetentionJob(db: Knex, scope: { tenantId: string; projectId: string }, olderThan: Date, removed: RemovedRows): Promise<void> {
  await db.raw(
    `INSERT INTO deletion_jobs (id, tenant_id, project_id, kind, target, older_than, removed, outbox_cutoff)
     VALUES (?, ?, ?, 'retention', ?, ?, ?, clock_timestamp())
     ON CONFLICT (project_id) WHERE kind = 'retention' AND status IN ('pending', 'running')
     DO UPDATE SET older_than = GREATEST(deletion_jobs.older_than, excluded.older_than),
       target = to_char(GREATEST(deletion_jobs.older_than, excluded.older_than) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       outbox_cutoff = excluded.outbox_cutoff,
       removed = (SELECT jsonb_object_agg(name, COALESCE((deletion_jobs.removed ->> name)::bigint, 0) + COALESCE((excluded.removed ->> name)::bigint, 0))
                  FROM jsonb_object_keys(deletion_jobs.removed || excluded.removed) AS name)`,
    [randomUUID(), scope.tenantId, scope.projectId, olderThan.toISOString(), olderThan, JSON.stringify(removed)],
  );
}

/** What the API shows of a job. */
export function toDeletion(job: DeletionJob) {
  return {
    deletion_id: job.id,
    project_id: job.project_id,
    kind: job.kind,
    target: job.target,
    status: job.status,
    error: job.error,
    attempts: job.attempts,
    removed: job.removed,
    analytics_rows_removed: job.analytics_rows === null ? null : Number(job.analytics_rows),
    created_at: new Date(job.created_at).toISOString(),
    finished_at: job.finished_at === null ? null : new Date(job.finished_at).toISOString(),
  };
}
