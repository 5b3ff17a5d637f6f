/** The rows of the metrics API (docs/api.md#metrics) the dashboard reads. */

export interface MetricsAnswer<T> {
  from: string;
  to: string;
  data: T[];
}

export interface BucketedAnswer<T> extends MetricsAnswer<T> {
  bucket_seconds: number;
  /** usage only */
  group_by?: string;
}

export type Breakdown = 'none' | 'model' | 'provider';

export interface UsageRow {
  bucket: string;
  model?: string;
  provider?: string;
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

export interface ErrorRow {
  bucket: string;
  spans: number;
  errors: number;
  error_rate: number;
}

export interface ModelRow {
  provider: string;
  model: string;
  requests: number;
  input_tokens: number;
  output_tokens: number;
  total_tokens: number;
  cost_usd: number;
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

export interface UserRow {
  user_id: string;
  traces: number;
  requests: number;
  total_tokens: number;
  cost_usd: number;
  errors: number;
  last_seen: string;
}
