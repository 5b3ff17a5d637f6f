/**
 * Deleting rows on Tinybird (Data Sources API): `POST {host}/v0/datasources/<ds>/delete` with a
 * form-encoded `delete_condition` answers 201 with a job (`{id, job_id, job_url, job, status:
 * "waiting", delete_id}`) and deletes in the background; the rows are gone once
 * `GET {host}/v0/jobs/<job_id>` says `done` (with `rows_affected`), or the job failed (`error`). Needs a
 * token with DATASOURCES:CREATE or ADMIN, so the workspace admin token is used.
 *
 * Classified once, like appends (append-outcome.ts):
 * - 429 (rate limit, or "maximum number of delete jobs" reached), 408, 5xx, no answer: retryable,
 *   waiting at least Retry-After;
 * - 400 (condition refused, unknown datasource), 401/403 (token), 404, other 4xx: permanent;
 * - a job that ends in `error`, or still runs at the deadline: retryable (the condition was accepted,
 *   and deleting again is harmless).
 * While polling, transient answers are tolerated until the deadline; a 4xx is permanent.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AnalyticsDeleteError, type DeleteReport } from '../analytics-store.ts';
import { networkFailure, tinybirdErrorMessage } from './tinybird-errors.ts';
import { isTransientStatus, retryAfterMs } from './tinybird-retry.ts';
import type { TinybirdTarget } from './tinybird-target.ts';

export interface DeleteJobOptions {
  datasource: string;
  /** Per HTTP request. */
  timeoutMs: number;
  /** How long to wait for the job to finish before giving up (retryably). */
  deadlineMs: number;
  /** Aborted when the store or its caller shuts down: the wait ends at once, retryably. */
  signal: AbortSignal;
  /** For messages: whose rows. */
  what: string;
}

interface JobAnswer {
  status?: unknown;
  rows_affected?: unknown;
  error?: unknown;
}

const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 2_000;

/** Starts the delete job and waits for its end: the report on `done`, else the classified error. */
export async function runDeleteJob(target: TinybirdTarget, condition: string, options: DeleteJobOptions): Promise<DeleteReport> {
  const deadline = Date.now() + options.deadlineMs;
  const jobId = await startDeleteJob(target, condition, options);
  for (let wait = FIRST_POLL_MS; ; wait = Math.min(MAX_POLL_MS, wait * 2)) {
    const job = await readJob(target, jobId, options);
    if (job?.status === 'done') return { deletedRows: Number.isFinite(Number(job.rows_affected)) ? Number(job.rows_affected) : null };
    if (job?.status === 'error') throw new AnalyticsDeleteError(`Tinybird delete job ${jobId} for ${options.what} failed: ${String(job.error ?? 'no reason given')}`, true);
    const left = deadline - Date.now();
    if (left <= 0) throw new AnalyticsDeleteError(`Tinybird delete job ${jobId} for ${options.what} still ${String(job?.status ?? 'unknown')} after ${options.deadlineMs} ms`, true);
    try {
      await sleep(Math.min(wait, left), undefined, { signal: options.signal });
    } catch {
      throw new AnalyticsDeleteError(`stopped waiting for Tinybird delete job ${jobId} for ${options.what}: the caller is shutting down`, true);
    }
  }
}

async function startDeleteJob(target: TinybirdTarget, condition: string, options: DeleteJobOptions): Promise<string> {
  const url = `${target.host}/v0/datasources/${encodeURIComponent(options.datasource)}/delete`;
  const response = await call(url, target, options, 'delete API', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ delete_condition: condition }).toString(),
  });
  if (!response.ok) throw await refusal(response, `Tinybird delete API answered ${response.status} for ${options.what}`);
  const body = (await response.json().catch(() => ({}))) as { job_id?: unknown; id?: unknown };
  const jobId = body.job_id ?? body.id;
  if (typeof jobId !== 'string' || jobId === '') throw new AnalyticsDeleteError(`Tinybird delete API answered ${response.status} for ${options.what} without a job_id`, true);
  return jobId;
}

/** The job, or null when Tinybird could not say for now (unreachable, throttled, failing). */
async function readJob(target: TinybirdTarget, jobId: string, options: DeleteJobOptions): Promise<JobAnswer | null> {
  let response: Response;
  try {
    response = await call(`${target.host}/v0/jobs/${encodeURIComponent(jobId)}`, target, options, 'jobs API', { method: 'GET' });
  } catch (err) {
    if (err instanceof AnalyticsDeleteError && err.retryable) return null;
    throw err;
  }
  if (response.ok) return (await response.json().catch(() => null)) as JobAnswer | null;
  const refused = await refusal(response, `Tinybird jobs API answered ${response.status} for delete job ${jobId} of ${options.what}`);
  if (refused.retryable) return null;
  throw refused;
}

async function call(url: string, target: TinybirdTarget, options: DeleteJobOptions, api: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${target.adminToken}` }, signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (err) {
    throw new AnalyticsDeleteError(`Tinybird ${api} unreachable for ${options.what}: ${networkFailure(err, options.timeoutMs)}`, true);
  }
}

async function refusal(response: Response, prefix: string): Promise<AnalyticsDeleteError> {
  const message = `${prefix}: ${await tinybirdErrorMessage(response)}`;
  if (isTransientStatus(response.status)) return new AnalyticsDeleteError(message, true, retryAfterMs(response.headers));
  return new AnalyticsDeleteError(message, false);
}
