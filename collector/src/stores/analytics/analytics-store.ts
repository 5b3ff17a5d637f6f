import type { CanonicalEvent } from '../../events/canonical-event.ts';

/** Every analytical read is scoped to one tenant and project inside the query itself (cost_by_project: one tenant). */
export interface Scope {
  tenantId: string;
  projectId: string;
}

export type UsageGroupBy = 'none' | 'model' | 'provider' | 'service' | 'type' | 'user';

/** A time range [fromMs, toMs) in epoch milliseconds, on the spans' start_time. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

export type RangeParams = Scope & TimeRange;

export interface UsageParams extends RangeParams {
  bucketSeconds: number;
  groupBy: UsageGroupBy;
}

/**
 * Usage sums count each model call once (counts_usage); `requests` are model calls (llm and embedding
 * spans that count) and the latency percentiles are over them; `errors` count every span in error.
 */
export interface UsageTotals {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
}

/** One bucket (and group) of usage. */
export interface UsageRow extends UsageTotals {
  bucket: string; // RFC 3339 start of the bucket
  group: string; // the model/provider/service/type/user, '' when not grouped
  cache_read_tokens: number;
  reasoning_tokens: number;
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

export interface ModelBreakdownRow extends UsageTotals {
  provider: string;
  model: string;
  errors: number;
}

export interface LatencyRow {
  model: string;
  requests: number;
  avg_ms: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  max_ms: number;
}

export interface ErrorRateRow {
  bucket: string; // RFC 3339 start of the bucket
  spans: number;
  errors: number;
  error_rate: number;
}

export interface TopUserRow {
  user_id: string;
  traces: number;
  requests: number;
  total_tokens: number;
  cost_usd: number;
  errors: number;
  last_seen: string; // RFC 3339, nine fraction digits
}

export interface TopSessionRow {
  session_id: string;
  user_id: string;
  traces: number;
  spans: number;
  requests: number;
  total_tokens: number;
  cost_usd: number;
  errors: number;
  first_seen: string;
  last_seen: string;
}

export interface ProjectCostRow extends UsageTotals {
  project_id: string;
}

/**
 * The named queries every backend answers, with their parameters and rows. Each is a Tinybird pipe
 * (schemas/tinybird/pipes/<name>.pipe) reading `events FINAL` (trace_spans: each span's newest row,
 * LIMIT 1 BY), so a re-delivered span counts once.
 */
export interface AnalyticsQueries {
  /** All spans of one trace, each (tenant, project, trace, span) once, ordered by start time. */
  trace_spans: { params: Scope & { traceId: string }; row: CanonicalEvent };
  /** Spans of one project counted once per key, for operators and tests. */
  span_count: { params: Scope; row: { spans: number } };
  /** Usage over time in buckets of bucketSeconds within [fromMs, toMs), optionally grouped. */
  usage_over_time: { params: UsageParams; row: UsageRow };
  /** Usage and cost per provider and model, the costliest first. */
  model_breakdown: { params: RangeParams; row: ModelBreakdownRow };
  /** Latency of model calls per model (or of one model). */
  latency_percentiles: { params: RangeParams & { model?: string }; row: LatencyRow };
  /** Spans, errors and their ratio per bucket. */
  error_rate: { params: RangeParams & { bucketSeconds: number }; row: ErrorRateRow };
  /** Users by cost, at most `limit` (10). */
  top_users: { params: RangeParams & { limit?: number }; row: TopUserRow };
  /** Sessions by cost, at most `limit` (10). */
  top_sessions: { params: RangeParams & { limit?: number }; row: TopSessionRow };
  /** Usage and cost per project of a tenant: the one tenant-wide query. */
  cost_by_project: { params: TimeRange & { tenantId: string; projectId?: string }; row: ProjectCostRow };
}

export type QueryName = keyof AnalyticsQueries;

/**
 * The analytics data plane (chDB embedded, Tinybird, ClickHouse). Lifecycle: `start()` once before
 * use (creates or checks the schema); `shutdown()` releases resources and is safe to call twice.
 */
export interface AnalyticsStore {
  readonly backend: string;
  start(): Promise<void>;
  /**
   * Stores canonical events. Idempotent on (tenant_id, project_id, trace_id, span_id): appending the
   * same event again never makes it count twice in any query. Rejects when the store is unavailable,
   * so the caller (the outbox shipper) can retry; an AnalyticsAppendError says whether a retry can help.
   * May report rows the store accepted but quarantined.
   */
  append(events: CanonicalEvent[]): Promise<void | AppendReport>;
  query<N extends QueryName>(name: N, params: AnalyticsQueries[N]['params']): Promise<AnalyticsQueries[N]['row'][]>;
  /**
   * Removes the selected spans of one tenant and project (delete-selector.ts validates the selector).
   * Resolves once queries no longer return them, with how many rows went when the store can tell.
   * Deleting again removes nothing more. Rejects with an AnalyticsDeleteError saying whether a retry
   * can help; any other error counts as retryable. `signal` ends a long wait (Tinybird's delete job)
   * early, retryably, for a caller that is shutting down.
   */
  delete(selector: DeleteSelector, signal?: AbortSignal): Promise<DeleteReport>;
  shutdown(): Promise<void>;
}

/**
 * Which spans a delete removes: always one tenant and project, plus exactly one target. Trace ids
 * come as a list so removing a session's or an end user's traces is one request, not one per trace.
 */
export type DeleteSelector = Scope & DeleteTarget;

export type DeleteTarget =
  | { traceIds: readonly string[] }
  | { sessionId: string }
  | { userId: string }
  /** Spans that started before this instant (retention). */
  | { olderThan: Date }
  | { wholeProject: true };

export interface DeleteReport {
  /** Rows the store removed, when it reports them (a row delivered twice and not yet merged counts twice on Tinybird). */
  deletedRows: number | null;
}

/**
 * How a write (append or delete) failed, classified once by the backend (OTel Collector habit): the
 * caller retries a retryable failure with backoff (waiting at least `retryAfterMs` when the store said
 * so) and gives up with the message when it is permanent. Any other error thrown counts as retryable.
 */
export abstract class AnalyticsWriteError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** A failed `append`: the shipper retries it, or dead-letters the batch when it is permanent. */
export class AnalyticsAppendError extends AnalyticsWriteError {
  override name = 'AnalyticsAppendError';
}

/** A failed `delete`: the deletion executor retries the job, or marks it failed when it is permanent. */
export class AnalyticsDeleteError extends AnalyticsWriteError {
  override name = 'AnalyticsDeleteError';
}

/**
 * A failed read, classified once by the backend like appends: `retryable` when the store could not
 * answer for now (unreachable, throttled, failing), so the API answers 503 + Retry-After, not 500.
 */
export class AnalyticsReadError extends Error {
  override name = 'AnalyticsReadError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** What an append reports beyond success: rows the store accepted but set aside (Tinybird quarantine). */
export interface AppendReport {
  quarantinedRows: number;
}
