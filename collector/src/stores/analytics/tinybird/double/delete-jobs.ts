/**
 * The double's delete jobs, as the Data Sources and Jobs APIs document them: a job is created
 * `waiting`, becomes `working`, and ends `done` with `rows_affected` (the rows are then gone, as
 * Tinybird waits for its mutation before marking the job done) or `error` with the reason. Jobs run
 * in the background, after `faults.deleteJobDelayMs`, so a client has to poll.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DoubleDatabase } from './double-database.ts';
import type { TinybirdFaults } from './faults.ts';

export interface DeleteJob {
  kind: 'delete_data';
  id: string;
  job_id: string;
  job_url: string;
  status: 'waiting' | 'working' | 'done' | 'error';
  created_at: string;
  updated_at: string;
  started_at: string | null;
  is_cancellable: boolean;
  datasource: { id: string; name: string };
  delete_condition: string;
  rows_affected?: number;
  error?: string;
}

/** Tinybird's spelling of job times: `2023-04-11 13:52:32.423207` (UTC). */
const jobTime = () => `${new Date().toISOString().slice(0, 23).replace('T', ' ')}000`;

export class DeleteJobs {
  private readonly jobs = new Map<string, DeleteJob>();

  constructor(
    private readonly db: DoubleDatabase,
    private readonly faults: TinybirdFaults,
    private readonly closing: AbortSignal,
  ) {}

  /** Jobs not finished yet (Tinybird limits how many a workspace may have). */
  active(): number {
    return [...this.jobs.values()].filter((j) => j.status === 'waiting' || j.status === 'working').length;
  }

  get(id: string): DeleteJob | undefined {
    return this.jobs.get(id);
  }

  /** Queues a delete of the rows of `table` matching `condition` (already checked to be valid SQL). */
  start(table: string, condition: string, host: string): DeleteJob {
    const id = randomUUID();
    const now = jobTime();
    const job: DeleteJob = {
      kind: 'delete_data', id, job_id: id, job_url: `${host}/v0/jobs/${id}`, status: 'waiting',
      created_at: now, updated_at: now, started_at: null, is_cancellable: true,
      datasource: { id: `t_${table}`, name: table }, delete_condition: condition,
    };
    this.jobs.set(id, job);
    void this.db.track(this.run(job, table));
    return job;
  }

  private async run(job: DeleteJob, table: string): Promise<void> {
    try {
      await sleep(this.faults.deleteJobDelayMs, undefined, { signal: this.closing });
    } catch {
      return; // the double is closing: the job never runs, as if the service went away
    }
    Object.assign(job, { status: 'working', started_at: jobTime(), updated_at: jobTime(), is_cancellable: false });
    try {
      const injected = this.faults.takeDeleteJobFailure();
      if (injected !== null) throw new Error(injected);
      const [{ n }] = await this.db.rows(`SELECT count() AS n FROM ${table} WHERE (${job.delete_condition})`);
      await this.db.rows(`ALTER TABLE ${table} DELETE WHERE (${job.delete_condition}) SETTINGS mutations_sync = 2`);
      Object.assign(job, { status: 'done', rows_affected: Number(n), updated_at: jobTime() });
    } catch (err) {
      Object.assign(job, { status: 'error', error: (err as Error).message.split('\n')[0], updated_at: jobTime() });
    }
  }
}
