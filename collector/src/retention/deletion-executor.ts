/**
 * Removes the spans of recorded deletions from the analytics store. A job is claimed with a lease
 * (FOR UPDATE SKIP LOCKED, like the outbox shipper), so several collector processes never run the same
 * job at once and one that dies only delays it. A job waits until every outbox batch of its project
 * written before the request has been delivered or dead-lettered: a delete is no tombstone, so a batch
 * shipped after it would bring the spans back. Retryable store errors back off like the shipper;
 * permanent ones fail the job. The end of a requested deletion is audited with the rows removed.
 *
 * Lifecycle: start() once; poke() to look for work now; runOnce() runs what is due; shutdown() stops
 * the loop (ending a long wait on the store) and is safe to call twice.
 */
import type { Knex } from 'knex';
import { PollLoop } from '../background/poll-loop.ts';
import type { Logger } from 'pino';
import { recordAudit } from '../api/audit.ts';
import { backoffMs } from '../pipeline/outbox-shipper.ts';
import { AnalyticsDeleteError, type AnalyticsStore, type DeleteSelector } from '../stores/analytics/analytics-store.ts';
import { MAX_TRACE_IDS_PER_DELETE } from '../stores/analytics/delete-selector.ts';
import { DELETION_AUDIT, type DeletionJob } from './deletion-jobs.ts';

export interface DeletionExecutorOptions {
  pollMs: number;
  leaseMs: number;
  maxBackoffMs: number;
}

const JOBS_PER_CLAIM = 10;

/** The analytics deletes that carry out a job (trace lists in chunks the stores accept). */
export function selectorsOf(job: DeletionJob): DeleteSelector[] {
  const scope = { tenantId: job.tenant_id, projectId: job.project_id };
  const chunks: DeleteSelector[] = [];
  for (let i = 0; i < job.trace_ids.length; i += MAX_TRACE_IDS_PER_DELETE) chunks.push({ ...scope, traceIds: job.trace_ids.slice(i, i + MAX_TRACE_IDS_PER_DELETE) });
  switch (job.kind) {
    case 'trace': case 'session': return chunks;
    // Spans may carry the user's id in traces attributed to someone else: those go too.
    case 'end_user': return [...chunks, { ...scope, userId: job.target }];
    case 'project': return [{ ...scope, wholeProject: true }];
    case 'retention': return [{ ...scope, olderThan: new Date(job.older_than!) }];
  }
}

export class DeletionExecutor {
  private readonly loop: PollLoop;
  private readonly stopping = new AbortController();

  constructor(
    private readonly db: Knex,
    private readonly store: AnalyticsStore,
    private readonly options: DeletionExecutorOptions,
    private readonly log: Logger,
  ) {
    this.loop = new PollLoop(() => this.runOnce(), options.pollMs, (err) =>
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'deletion jobs unreachable; paused'));
  }

  start(): void {
    this.loop.start();
  }

  poke(): void {
    this.loop.poke();
  }

  /** Claims the jobs that are due and runs them; returns how many ended (done or failed). */
  async runOnce(): Promise<number> {
    const { rows }: { rows: DeletionJob[] } = await this.db.raw(
      `UPDATE deletion_jobs SET status = 'running', available_at = now() + make_interval(secs => ?)
       WHERE id IN (SELECT id FROM deletion_jobs WHERE status IN ('pending', 'running') AND available_at <= now()
                    ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [this.options.leaseMs / 1000, JOBS_PER_CLAIM],
    );
    let ended = 0;
    for (const job of rows) if (await this.execute(job)) ended += 1;
    return ended;
  }

  private async execute(job: DeletionJob): Promise<boolean> {
    if (await this.outboxHolds(job)) {
      await this.db('deletion_jobs').where({ id: job.id }).update({ status: 'pending', available_at: this.db.raw('now() + make_interval(secs => ?)', [this.options.pollMs / 1000]) });
      return false;
    }
    let deletedRows: number | null = 0;
    try {
      for (const selector of selectorsOf(job)) {
        const report = await this.store.delete(selector, this.stopping.signal);
        deletedRows = deletedRows === null || report.deletedRows === null ? null : deletedRows + report.deletedRows;
      }
    } catch (err) {
      return this.failed(job, err);
    }
    await this.done(job, deletedRows);
    return true;
  }

  /** Whether an undelivered outbox batch of the project predates the request (compared in SQL, to the microsecond). */
  private async outboxHolds(job: DeletionJob): Promise<boolean> {
    const row = await this.db('ingest_outbox')
      .where('project_id', job.project_id)
      .whereNull('dead_lettered_at')
      .whereRaw('created_at <= (SELECT outbox_cutoff FROM deletion_jobs WHERE id = ?)', [job.id])
      .first(this.db.raw('1 AS held'));
    return row !== undefined;
  }

  private async done(job: DeletionJob, deletedRows: number | null): Promise<void> {
    await this.db.transaction(async (trx) => {
      // A retention cutoff moved forward while this ran: run again for the rest.
      const [row] = await trx('deletion_jobs').where({ id: job.id }).update({
        status: trx.raw(`CASE WHEN kind = 'retention' AND older_than IS DISTINCT FROM ?::timestamptz THEN 'pending' ELSE 'done' END`, [job.older_than]),
        available_at: trx.fn.now(),
        finished_at: trx.raw(`CASE WHEN kind = 'retention' AND older_than IS DISTINCT FROM ?::timestamptz THEN NULL ELSE now() END`, [job.older_than]),
        analytics_rows: deletedRows === null ? null : trx.raw('COALESCE(analytics_rows, 0) + ?', [deletedRows]),
        trace_ids: '{}',
        error: null,
      }).returning(['status']);
      // A deleted project's batches can only be dead letters now; re-queueing one would bring its spans back.
      if (job.kind === 'project') await trx('ingest_outbox').where('project_id', job.project_id).delete();
      if (row?.status === 'done') await this.audit(trx, job, { status: 'done', analytics_rows_removed: deletedRows });
    });
    this.log.info({ deletionId: job.id, kind: job.kind, analyticsRows: deletedRows }, 'deletion done');
  }

  /** Reschedules a retryable failure with backoff (at least what the store asked for); fails the job otherwise. Returns whether it ended. */
  private async failed(job: DeletionJob, err: unknown): Promise<boolean> {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
    const retryable = !(err instanceof AnalyticsDeleteError) || err.retryable;
    if (retryable) {
      const attempts = job.attempts + 1;
      const asked = err instanceof AnalyticsDeleteError ? (err.retryAfterMs ?? 0) : 0;
      const delay = Math.max(backoffMs(attempts, this.options.maxBackoffMs), asked);
      this.log.warn({ deletionId: job.id, attempts, retryInMs: delay, err: message }, 'analytics delete failed; will retry');
      await this.db('deletion_jobs').where({ id: job.id }).update({
        status: 'pending', attempts, error: message, available_at: this.db.raw('now() + make_interval(secs => ?)', [delay / 1000]),
      });
      return false;
    }
    this.log.error({ deletionId: job.id, err: message }, 'analytics store refused a delete for good');
    await this.db.transaction(async (trx) => {
      await trx('deletion_jobs').where({ id: job.id }).update({ status: 'failed', attempts: job.attempts + 1, error: message, finished_at: trx.fn.now() });
      await this.audit(trx, job, { status: 'failed', error: message });
    });
    return true;
  }

  private async audit(trx: Knex.Transaction, job: DeletionJob, details: Record<string, unknown>): Promise<void> {
    if (job.kind === 'retention') return; // the sweeper's own work, logged rather than audited
    await recordAudit(trx, {
      ...DELETION_AUDIT[job.kind], tenantId: job.tenant_id, targetId: job.target,
      actorUserId: job.requested_by_user, actorApiKeyId: job.requested_by_key, ip: job.requested_ip,
      details: { deletion_id: job.id, project_id: job.project_id, ...details },
    });
  }

  async shutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
  }
}
