/**
 * Applies each project's retention (projects.retention_days) to what is already stored, so a
 * shortened retention reaches old rows too, not only new ones. Per project, with cutoff = now minus
 * its retention:
 * - control plane: trace summaries that started before the cutoff go, in chunks of one transaction
 *   each, with their scores, span keys and OTLP log records; their sessions and conversations are
 *   recomputed, and go with their last trace (so a session goes once its end time passes the cutoff);
 *   log records received before the cutoff whose span never came go too (they hold prompt text);
 * - analytics: in the same transaction, the project's retention job (deletion-jobs.ts) is queued or
 *   its cutoff moved forward; the deletion executor then removes the spans that started before it.
 * Several processes may sweep at once: chunks skip rows another sweep holds, and deleting is idempotent.
 *
 * Lifecycle: start() sweeps every intervalMs (first one interval after start); stop() ends a sweep in
 * progress after its current chunk (the next sweep picks up the rest) and is safe twice.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { queueRetentionJob } from './deletion-jobs.ts';
import { addRemoved, deleteCounted, NOTHING_REMOVED, removeTraces, type RemovedRows } from './remove-traces.ts';

export interface RetentionSweeperOptions {
  intervalMs: number;
  /** Traces removed per transaction. */
  chunkSize?: number;
}

const DAY_MS = 86_400_000;
const CHUNK = 1_000;

export class RetentionSweeper {
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly db: Knex,
    private readonly options: RetentionSweeperOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.sweeping) return; // the previous sweep is still running
      this.sweeping = this.sweepOnce()
        .catch((err) => this.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'retention sweep failed; next interval retries'))
        .finally(() => { this.sweeping = null; });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /** One pass over every project; returns what it removed from the control plane. */
  async sweepOnce(now = new Date()): Promise<RemovedRows> {
    const projects: { id: string; tenant_id: string; retention_days: number }[] = await this.db('projects').select('id', 'tenant_id', 'retention_days').orderBy('id');
    let total = NOTHING_REMOVED;
    for (const project of projects) {
      if (this.stopped) break;
      const cutoff = new Date(now.getTime() - Number(project.retention_days) * DAY_MS);
      const removed = await this.sweepProject({ tenantId: project.tenant_id, projectId: project.id }, cutoff);
      if (removed.traces > 0 || removed.log_records > 0) this.log.info({ projectId: project.id, cutoff: cutoff.toISOString(), ...removed }, 'retention removed old traces');
      total = addRemoved(total, removed);
    }
    return total;
  }

  private async sweepProject(scope: { tenantId: string; projectId: string }, cutoff: Date): Promise<RemovedRows> {
    const chunk = this.options.chunkSize ?? CHUNK;
    let total = NOTHING_REMOVED;
    while (!this.stopped) {
      const { traceIds, removed } = await this.db.transaction(async (trx) => {
        const result = await removeTraces(trx, scope.projectId, (q) => q.whereIn('trace_id',
          trx('trace_summaries').select('trace_id').where('project_id', scope.projectId).where('start_time', '<', cutoff)
            .orderBy('start_time').limit(chunk).forUpdate().skipLocked()));
        if (result.traceIds.length > 0) await queueRetentionJob(trx, scope, cutoff, result.removed);
        return result;
      });
      total = addRemoved(total, removed);
      if (traceIds.length < chunk) break;
    }
    // Log records hold prompt text: those whose trace never arrived go with the retention too.
    const logRecords = await this.db.transaction((trx) =>
      deleteCounted(trx, 'DELETE FROM span_log_records WHERE project_id = ? AND received_at < ?', [scope.projectId, cutoff]));
    return addRemoved(total, { ...NOTHING_REMOVED, log_records: logRecords });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }
}
