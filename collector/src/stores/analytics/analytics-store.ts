import type { CanonicalEvent } from '../../events/canonical-event.ts';

/** Every analytical read is scoped to one tenant and project inside the query itself. */
export interface Scope {
  tenantId: string;
  projectId: string;
}

export type UsageGroupBy = 'none' | 'model' | 'provider' | 'service' | 'type';

export interface UsageParams extends Scope {
  fromMs: number;
  toMs: number;
  bucketSeconds: number;
  groupBy: UsageGroupBy;
}

/** One bucket (and group) of usage; sums count each model call once (counts_usage). */
export interface UsageRow {
  bucket: string; // RFC 3339 start of the bucket
  group: string; // the model/provider/service/type, '' when not grouped
  requests: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cache_read_tokens: number;
  reasoning_tokens: number;
  cost_usd: number;
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

/** The named queries every backend answers, with their parameters and rows. */
export interface AnalyticsQueries {
  /** All spans of one trace, each (tenant, project, trace, span) once, ordered by start time. */
  trace_spans: { params: Scope & { traceId: string }; row: CanonicalEvent };
  /** Spans of one project counted once per key, for operators and tests. */
  span_count: { params: Scope; row: { spans: number } };
  /** Usage over time in buckets of bucketSeconds within [fromMs, toMs), optionally grouped. */
  usage_over_time: { params: UsageParams; row: UsageRow };
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
  shutdown(): Promise<void>;
}

/**
 * How an `append` failed, classified once by the backend (OTel Collector habit): the shipper retries
 * a retryable failure with backoff (waiting at least `retryAfterMs` when the store said so), and moves
 * the batch to the dead-letter state with `reason` when it is permanent. Any other error thrown by
 * `append` counts as retryable.
 */
export class AnalyticsAppendError extends Error {
  override name = 'AnalyticsAppendError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** What an append reports beyond success: rows the store accepted but set aside (Tinybird quarantine). */
export interface AppendReport {
  quarantinedRows: number;
}
