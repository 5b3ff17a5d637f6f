/**
 * Removes the spans of recorded deletions from the analytics store. One job at a time is claimed with a
 * lease (FOR UPDATE SKIP LOCKED, like the outbox shipper) longer than the longest a store waits on one
 * delete, renewed before each delete, and tagged with a claim token: several collector processes never
 * run the same job at once, one that dies only delays it, and one that lost its claim anyway (a stalled
 * process) finds the token changed and neither ends nor audits the job. A job waits until every outbox batch of its project
 * written before the request has been delivered or dead-lettered: a delete is no tombstone, so a batch
 * shipped after it would bring the spans back. Retryable store errors back off like the shipper;
 * permanent ones fail the job. The end of a requested deletion is audited with the rows removed.
 *
 * Lifecycle: start() once; poke() to look for work now; runOnce() runs one due job; shutdown() stops
 * the loop (ending a long wait on the store) and is safe to call twice.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { recordAudit } from '../api/audit.ts';
import { PollLoop } from '../background/poll-loop.ts';
import { retryDelayMs, writeFailureOf } from '../background/retry-backoff.ts';
import type { AnalyticsStore, DeleteSelector } from '../stores/analytics/analytics-store.ts';
import { MAX_TRACE_IDS_PER_DELETE } from '../stores/analytics/delete-selector.ts';
import { DELETE_DEADLINE_MS } from '../stores/analytics/tinybird/tinybird-store.ts';
import { DELETION_AUDIT, type DeletionJob } from './deletion-jobs.ts';

export interface DeletionExecutorOptions {
  pollMs: number;
  maxBackoffMs: number;
}

/** A claim outlasts one delete's longest wait (Tinybird's job deadline) plus the bookkeeping around it. */
const DELETION_LEASE_MS = DELETE_DEADLINE_MS + 60_000;

/** A claimed job, with the token that proves the claim is still this process's. */
type ClaimedJob = DeletionJob & { claim_token: string };

/** The analytics deletes that carry out a job (trace lists in chunks the stores accept). */
function selectorsOf(job: DeletionJob): DeleteSelector[] {
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

  /**
   * Claims the oldest due job and runs it; returns 1 when there was one (the loop then looks for the
   * next at once), 0 when nothing is due. One at a time, so no claimed job waits behind another's deletes.
   */
  async runOnce(): Promise<number> {
    const { rows }: { rows: ClaimedJob[] } = await this.db.raw(
      `UPDATE deletion_jobs SET status = 'running', claim_token = ?, available_at = now() + make_interval(secs => ?)
       WHERE id IN (SELECT id FROM deletion_jobs WHERE status IN ('pending', 'running') AND available_at <= now()
                    ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [randomUUID(), DELETION_LEASE_MS / 1000],
    );
    if (rows.length === 0) return 0;
    await this.execute(rows[0]);
    return 1;
  }

  /** The job's row, only while this process still holds its claim. */
  private claimed(db: Knex, job: ClaimedJob) {
    return db('deletion_jobs').where({ id: job.id, claim_token: job.claim_token, status: 'running' });
  }

  private async execute(job: ClaimedJob): Promise<void> {
    if (await this.outboxHolds(job)) {
      await this.claimed(this.db, job).update({ status: 'pending', available_at: this.db.raw('now() + make_interval(secs => ?)', [this.options.pollMs / 1000]) });
      return;
    }
    let deletedRows: number | null = 0;
    try {
      for (const selector of selectorsOf(job)) {
        // Each delete may wait up to the store's deadline: renew the lease first, and stop if it was lost.
        const renewed = await this.claimed(this.db, job).update({ available_at: this.db.raw('now() + make_interval(secs => ?)', [DELETION_LEASE_MS / 1000]) }).returning('id');
        if (renewed.length === 0) return this.lost(job);
        const report = await this.store.delete(selector, this.stopping.signal);
        deletedRows = deletedRows === null || report.deletedRows === null ? null : deletedRows + report.deletedRows;
      }
    } catch (err) {
      return this.failed(job, err);
    }
    await this.done(job, deletedRows);
  }

  private lost(job: DeletionJob): void {
    this.log.warn({ deletionId: job.id, kind: job.kind }, 'deletion job claimed by another process meanwhile; leaving it to that one');
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

  private async done(job: ClaimedJob, deletedRows: number | null): Promise<void> {
    const ended = await this.db.transaction(async (trx) => {
      // A retention cutoff moved forward while this ran: run again for the rest.
      const [row] = await this.claimed(trx, job).update({
        status: trx.raw(`CASE WHEN kind = 'retention' AND older_than IS DISTINCT FROM ?::timestamptz THEN 'pending' ELSE 'done' END`, [job.older_than]),
        available_at: trx.fn.now(),
        finished_at: trx.raw(`CASE WHEN kind = 'retention' AND older_than IS DISTINCT FROM ?::timestamptz THEN NULL ELSE now() END`, [job.older_than]),
        analytics_rows: deletedRows === null ? null : trx.raw('COALESCE(analytics_rows, 0) + ?', [deletedRows]),
        trace_ids: '{}',
        error: null,
      }).returning(['status']);
      if (!row) return false;
      // A deleted project's batches can only be dead letters now; re-queueing one would bring its spans back.
      if (job.kind === 'project') await trx('ingest_outbox').where('project_id', job.project_id).delete();
      if (row.status === 'done') await this.audit(trx, job, { status: 'done', analytics_rows_removed: deletedRows });
      return true;
    });
    if (!ended) return this.lost(job);
    this.log.info({ deletionId: job.id, kind: job.kind, analyticsRows: deletedRows }, 'deletion done');
  }

  /** Reschedules a retryable failure with backoff (at least what the store asked for); fails the job otherwise. */
  private async failed(job: ClaimedJob, err: unknown): Promise<void> {
    const failure = writeFailureOf(err);
    const message = failure.message;
    if (failure.retryable) {
      const attempts = job.attempts + 1;
      const delay = retryDelayMs(failure, attempts, this.options.maxBackoffMs);
      this.log.warn({ deletionId: job.id, attempts, retryInMs: delay, err: message }, 'analytics delete failed; will retry');
      const rescheduled = await this.claimed(this.db, job).update({
        status: 'pending', attempts, error: message, available_at: this.db.raw('now() + make_interval(secs => ?)', [delay / 1000]),
      }).returning('id');
      if (rescheduled.length === 0) this.lost(job);
      return;
    }
    this.log.error({ deletionId: job.id, err: message }, 'analytics store refused a delete for good');
    const ended = await this.db.transaction(async (trx) => {
      const updated = await this.claimed(trx, job).update({ status: 'failed', attempts: job.attempts + 1, error: message, finished_at: trx.fn.now() }).returning('id');
      if (updated.length > 0) await this.audit(trx, job, { status: 'failed', error: message });
      return updated.length > 0;
    });
    if (!ended) this.lost(job);
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
