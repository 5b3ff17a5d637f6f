/**
 * AnalyticsStore on Tinybird (managed ClickHouse over HTTP). Appends go to the Events API as gzipped
 * NDJSON with wait=true (acknowledged writes, so a retry after an error is safe), one request per
 * tenant and batch limit, each with that tenant's append token. Reads call the pipe endpoint named
 * after the query, with a short-lived JWT that fixes tenant_id. Deletes run a Data Sources API delete
 * job and wait for it (delete-job.ts). Answers are classified once into AnalyticsAppendError
 * (append-outcome.ts) and AnalyticsDeleteError; no retry happens here: the outbox shipper and the
 * deletion executor own retries.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { InFlight } from '../in-flight.ts';
import type { CanonicalEvent } from '../../../events/canonical-event.ts';
import { AnalyticsAppendError, type AnalyticsQueries, type AnalyticsStore, type AppendReport, type DeleteReport, type DeleteSelector, type QueryName } from '../analytics-store.ts';
import { literalDeleteCondition } from '../delete-selector.ts';
import type { EventRow } from '../event-row.ts';
import { ROW_DECODERS } from '../named-queries.ts';
import { EVENTS_API_MAX_BYTES, appendBatches, type AppendBatch } from './append-batches.ts';
import { appendOutcome, appendUnreachable } from './append-outcome.ts';
import { runDeleteJob } from './delete-job.ts';
import { pipeSearchParams } from './pipe-params.ts';
import { ReadTokens } from './read-tokens.ts';
import { TinybirdQueryError, networkFailure, tinybirdErrorMessage } from './tinybird-errors.ts';
import type { TinybirdTarget, TinybirdTargets } from './tinybird-target.ts';

const gzip = promisify(gzipCallback);

export interface TinybirdStoreOptions {
  targets: TinybirdTargets;
  /** Rows per Events API request (Tinybird suggests 1-5k). */
  batchRows: number;
  /** Uncompressed NDJSON bytes per Events API request, at most EVENTS_API_MAX_BYTES. */
  batchBytes: number;
  /** Per HTTP request, body included. */
  timeoutMs: number;
  /** The events datasource (schemas/tinybird/datasources). */
  datasource?: string;
  readTokens?: ReadTokens;
  /** How long a delete waits for its Tinybird job before giving up retryably; default 10 minutes. */
  deleteDeadlineMs?: number;
}

export const DELETE_DEADLINE_MS = 600_000;

export class TinybirdAnalyticsStore implements AnalyticsStore {
  readonly backend = 'tinybird';
  private state: 'new' | 'started' | 'stopped' = 'new';
  private readonly inFlight = new InFlight();
  private readonly readTokens: ReadTokens;
  private readonly datasource: string;
  /** Ends waits for delete jobs at shutdown (a job may run for minutes; the executor runs it again later). */
  private readonly stopping = new AbortController();

  constructor(private readonly options: TinybirdStoreOptions) {
    this.readTokens = options.readTokens ?? new ReadTokens();
    this.datasource = options.datasource ?? 'events';
  }

  /**
   * Checks the options only: Tinybird being unreachable at start must not stop the collector (ingestion
   * keeps filling the outbox and the shipper delivers once it answers).
   */
  async start(): Promise<void> {
    const { batchRows, batchBytes, timeoutMs } = this.options;
    if (!Number.isInteger(batchRows) || batchRows < 1) throw new Error(`tinybird store: batchRows must be an integer >= 1, got ${batchRows}`);
    if (!(batchBytes >= 1 && batchBytes <= EVENTS_API_MAX_BYTES)) throw new Error(`tinybird store: batchBytes must be 1..${EVENTS_API_MAX_BYTES}, got ${batchBytes}`);
    if (!(timeoutMs >= 1)) throw new Error(`tinybird store: timeoutMs must be >= 1, got ${timeoutMs}`);
    if (this.state === 'stopped') throw new Error('tinybird store was shut down; create a new one');
    this.state = 'started';
  }

  async append(events: CanonicalEvent[]): Promise<AppendReport> {
    this.assertStarted();
    const batches = appendBatches(events, { maxRows: this.options.batchRows, maxBytes: this.options.batchBytes });
    // Resolve every tenant first, so a settings failure sends nothing rather than half the batch.
    const targets = new Map<string, TinybirdTarget>();
    for (const { tenantId } of batches) if (!targets.has(tenantId)) targets.set(tenantId, await this.options.targets.forTenant(tenantId));
    let quarantinedRows = 0;
    // Sequential: Tinybird limits requests per datasource, and the first failure stops the rest. The
    // shipper retries the whole batch; rows already sent are deduplicated by the events datasource
    // (ReplacingMergeTree), though a materialized view fed by it sees them again.
    for (const [index, batch] of batches.entries()) {
      const what = `tenant ${batch.tenantId} (request ${index + 1} of ${batches.length}, ${batch.rows} rows)`;
      quarantinedRows += (await this.inFlight.track(this.post(targets.get(batch.tenantId)!, batch, what))).quarantinedRows;
    }
    return { quarantinedRows };
  }

  async query<N extends QueryName>(name: N, params: AnalyticsQueries[N]['params']): Promise<AnalyticsQueries[N]['row'][]> {
    this.assertStarted();
    const target = await this.options.targets.forTenant(params.tenantId);
    const token = await this.readTokens.tokenFor(params.tenantId, name, target);
    const url = `${target.host}/v0/pipes/${encodeURIComponent(name)}.json?${pipeSearchParams(params)}`;
    const rows = await this.inFlight.track(this.fetchPipe(url, token, name));
    const decode = ROW_DECODERS[name] as (row: EventRow) => AnalyticsQueries[N]['row'];
    return rows.map(decode);
  }

  /** Runs one delete job in the tenant's workspace and waits until Tinybird reports it done. */
  async delete(selector: DeleteSelector, signal?: AbortSignal): Promise<DeleteReport> {
    this.assertStarted();
    const condition = literalDeleteCondition(selector);
    const target = await this.options.targets.forTenant(selector.tenantId);
    return this.inFlight.track(runDeleteJob(target, condition, {
      datasource: this.datasource,
      timeoutMs: this.options.timeoutMs,
      deadlineMs: this.options.deleteDeadlineMs ?? DELETE_DEADLINE_MS,
      signal: signal ? AbortSignal.any([this.stopping.signal, signal]) : this.stopping.signal,
      what: `tenant ${selector.tenantId}, project ${selector.projectId}`,
    }));
  }

  async shutdown(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.stopping.abort();
    // Requests are bounded by timeoutMs; let them end so their outcome is known to the shipper.
    await this.inFlight.settled();
  }

  private async post(target: TinybirdTarget, batch: AppendBatch, what: string): Promise<AppendReport> {
    const url = `${target.host}/v0/events?name=${encodeURIComponent(this.datasource)}&wait=true`;
    const body = await gzip(batch.body);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.appendToken}`, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      throw appendUnreachable(err, what, this.options.timeoutMs);
    }
    try {
      return await appendOutcome(response, what);
    } catch (err) {
      // The body read shares the timeout: an answer cut off mid-body is as transient as no answer.
      if (err instanceof AnalyticsAppendError) throw err;
      throw appendUnreachable(err, what, this.options.timeoutMs);
    }
  }

  private async fetchPipe(url: string, token: string, pipe: string): Promise<EventRow[]> {
    const timeoutMs = this.options.timeoutMs;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
      if (!response.ok) throw new TinybirdQueryError(`Tinybird pipe ${pipe} answered ${response.status}: ${await tinybirdErrorMessage(response)}`, response.status);
      text = await response.text();
    } catch (err) {
      if (err instanceof TinybirdQueryError) throw err;
      throw new TinybirdQueryError(`Tinybird pipe ${pipe} unreachable: ${networkFailure(err, timeoutMs)}`, null);
    }
    let data: unknown;
    try {
      data = (JSON.parse(text) as { data?: unknown }).data;
    } catch {
      data = undefined;
    }
    if (!Array.isArray(data)) throw new TinybirdQueryError(`Tinybird pipe ${pipe} answered ${response.status} without a JSON data array`, response.status);
    return data as EventRow[];
  }

  private assertStarted(): void {
    if (this.state !== 'started') throw new Error(`tinybird analytics store is ${this.state === 'new' ? 'not started' : 'shut down'}`);
  }

}
