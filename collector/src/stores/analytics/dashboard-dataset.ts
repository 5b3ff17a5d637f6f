/**
 * A fixed dataset and the hand-computed answer of every named query over it, for any backend that
 * runs the pipes (chDB, the Tinybird double): if two backends both match it, the same dataset gives
 * them identical results for every dashboard query. One project's spans from 10:00 to 12:00 on
 * 2025-03-01: a wrapper repeating its call's usage (counts_usage false), a tool span in error, an
 * unpriced call, spans just outside the range, a second project and another tenant that must never leak.
 */
import { emptyEvent, type CanonicalEvent } from '../../events/canonical-event.ts';
import type { AnalyticsQueries, AnalyticsStore, QueryName, Scope } from './analytics-store.ts';

export type DashboardCase = {
  [N in QueryName]: { title: string; name: N; params: AnalyticsQueries[N]['params']; expected: AnalyticsQueries[N]['row'][] };
}[QueryName];

export interface DashboardDataset {
  scope: Scope;
  /** Appended in this order by appendDashboardDataset, then partly again (at-least-once). */
  batches: CanonicalEvent[][];
  cases: DashboardCase[];
}

const H = Date.parse('2025-03-01T10:00:00Z');
const MIN = 60_000;
const time = (offsetMs: number) => new Date(H + offsetMs).toISOString().replace('Z', '000000Z');
const bucket = (offsetMs: number) => new Date(H + offsetMs).toISOString();

function span(scope: Scope, id: string, trace: string, atMs: number, o: Partial<CanonicalEvent>): CanonicalEvent {
  return {
    ...emptyEvent(), tenant_id: scope.tenantId, project_id: scope.projectId, trace_id: trace.padEnd(32, '0'), span_id: id.padEnd(16, '0'),
    name: `span ${id}`, status: 'ok', retention_days: 90, ...o, start_time: time(atMs), end_time: time(atMs + (o.duration_ms ?? 0)),
  };
}

const usage = (input: number, output: number, cost: number | null) =>
  ({ input_tokens: input, output_tokens: output, total_tokens: input + output, cost_usd: cost, usage_source: 'reported' }) as const;
const gpt = { type: 'llm', provider: 'openai', model: 'gpt-4o' } as const;
const claude = { type: 'llm', provider: 'anthropic', model: 'claude-3-5-sonnet' } as const;
const embedding = { type: 'embedding', provider: 'openai', model: 'text-embedding-3-small' } as const;
const u1s1 = { user_id: 'u1', session_id: 's1' };
const u2s2 = { user_id: 'u2', session_id: 's2' };

export function dashboardDataset(scope: Scope): DashboardDataset {
  const other = { ...scope, projectId: `${scope.projectId}-b` };
  const otherTenant = { ...scope, tenantId: `${scope.tenantId}-x` };
  const e = {
    call1: span(scope, '01', 'a1', 0, { ...gpt, ...u1s1, ...usage(100, 50, 1), cache_read_tokens: 10, duration_ms: 100 }),
    call2: span(scope, '02', 'a1', 10 * MIN, { ...gpt, ...u1s1, ...usage(200, 100, 2), duration_ms: 300, status: 'error' }),
    call3: span(scope, '03', 'a2', 20 * MIN, { ...claude, ...u2s2, ...usage(50, 50, 0.5), reasoning_tokens: 20, duration_ms: 200 }),
    wrapper: span(scope, '04', 'a1', 0, { ...gpt, ...u1s1, ...usage(300, 150, 3), type: 'chain', counts_usage: false, duration_ms: 1000 }),
    tool: span(scope, '05', 'a2', 25 * MIN, { ...u2s2, type: 'tool', tool_name: 'search', duration_ms: 5, status: 'error' }),
    unpriced: span(scope, '06', 'a3', 70 * MIN, { ...gpt, user_id: 'u3', ...usage(10, 10, null), duration_ms: 400 }),
    embed: span(scope, '07', 'a3', 75 * MIN, { ...embedding, user_id: 'u3', ...usage(1000, 0, 0.02), duration_ms: 50 }),
    after: span(scope, '08', 'a4', 120 * MIN, { ...gpt, ...u1s1, ...usage(1, 1, 5), duration_ms: 10 }),
    before: span(scope, '09', 'a4', -1000, { ...gpt, ...u1s1, ...usage(1, 1, 7), duration_ms: 10 }),
    otherProject: span(other, '10', 'a5', 5 * MIN, { ...gpt, user_id: 'u1', ...usage(10, 10, 3), duration_ms: 100 }),
    otherTenant: span(otherTenant, '11', 'a1', 0, { ...gpt, ...u1s1, ...usage(1, 1, 100), duration_ms: 100 }),
  };
  const range = { ...scope, fromMs: H, toMs: H + 120 * MIN };
  const zero = { requests: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0, cache_read_tokens: 0, reasoning_tokens: 0, cost_usd: 0, errors: 0 };
  const latency = (p50: number | null, p95: number | null, p99: number | null) => ({ p50_ms: p50, p95_ms: p95, p99_ms: p99 });
  const cases: DashboardCase[] = [
    { title: 'span_count counts the project’s spans, in range or not', name: 'span_count', params: scope, expected: [{ spans: 9 }] },
    { title: 'trace_spans: the wrapper (longer) before its call, no other tenant', name: 'trace_spans', params: { ...scope, traceId: e.call1.trace_id }, expected: [e.wrapper, e.call1, e.call2] },
    {
      title: 'usage_over_time by hour', name: 'usage_over_time', params: { ...range, bucketSeconds: 3600, groupBy: 'none' },
      expected: [
        { ...zero, bucket: bucket(0), group: '', requests: 3, input_tokens: 350, output_tokens: 200, total_tokens: 550, cache_read_tokens: 10, reasoning_tokens: 20, cost_usd: 3.5, errors: 2, ...latency(200, 290, 298) },
        { ...zero, bucket: bucket(60 * MIN), group: '', requests: 2, input_tokens: 1010, output_tokens: 10, total_tokens: 1020, cost_usd: 0.02, ...latency(225, 382.5, 396.5) },
      ],
    },
    {
      title: 'usage_over_time by model: a bucket without calls has null percentiles', name: 'usage_over_time', params: { ...range, bucketSeconds: 3600, groupBy: 'model' },
      expected: [
        { ...zero, bucket: bucket(0), group: '', errors: 1, ...latency(null, null, null) },
        { ...zero, bucket: bucket(0), group: 'claude-3-5-sonnet', requests: 1, input_tokens: 50, output_tokens: 50, total_tokens: 100, reasoning_tokens: 20, cost_usd: 0.5, ...latency(200, 200, 200) },
        { ...zero, bucket: bucket(0), group: 'gpt-4o', requests: 2, input_tokens: 300, output_tokens: 150, total_tokens: 450, cache_read_tokens: 10, cost_usd: 3, errors: 1, ...latency(200, 290, 298) },
        { ...zero, bucket: bucket(60 * MIN), group: 'gpt-4o', requests: 1, input_tokens: 10, output_tokens: 10, total_tokens: 20, ...latency(400, 400, 400) },
        { ...zero, bucket: bucket(60 * MIN), group: 'text-embedding-3-small', requests: 1, input_tokens: 1000, total_tokens: 1000, cost_usd: 0.02, ...latency(50, 50, 50) },
      ],
    },
    {
      title: 'usage_over_time by user in 30-minute buckets', name: 'usage_over_time', params: { ...range, bucketSeconds: 1800, groupBy: 'user' },
      expected: [
        { ...zero, bucket: bucket(0), group: 'u1', requests: 2, input_tokens: 300, output_tokens: 150, total_tokens: 450, cache_read_tokens: 10, cost_usd: 3, errors: 1, ...latency(200, 290, 298) },
        { ...zero, bucket: bucket(0), group: 'u2', requests: 1, input_tokens: 50, output_tokens: 50, total_tokens: 100, reasoning_tokens: 20, cost_usd: 0.5, errors: 1, ...latency(200, 200, 200) },
        { ...zero, bucket: bucket(60 * MIN), group: 'u3', requests: 2, input_tokens: 1010, output_tokens: 10, total_tokens: 1020, cost_usd: 0.02, ...latency(225, 382.5, 396.5) },
      ],
    },
    {
      title: 'model_breakdown, costliest first', name: 'model_breakdown', params: range,
      expected: [
        { provider: 'openai', model: 'gpt-4o', requests: 3, input_tokens: 310, output_tokens: 160, total_tokens: 470, cost_usd: 3, errors: 1 },
        { provider: 'anthropic', model: 'claude-3-5-sonnet', requests: 1, input_tokens: 50, output_tokens: 50, total_tokens: 100, cost_usd: 0.5, errors: 0 },
        { provider: 'openai', model: 'text-embedding-3-small', requests: 1, input_tokens: 1000, output_tokens: 0, total_tokens: 1000, cost_usd: 0.02, errors: 0 },
      ],
    },
    {
      title: 'latency_percentiles per model', name: 'latency_percentiles', params: range,
      expected: [
        { model: 'claude-3-5-sonnet', requests: 1, avg_ms: 200, p50_ms: 200, p95_ms: 200, p99_ms: 200, max_ms: 200 },
        { model: 'gpt-4o', requests: 3, avg_ms: 800 / 3, p50_ms: 300, p95_ms: 390, p99_ms: 398, max_ms: 400 },
        { model: 'text-embedding-3-small', requests: 1, avg_ms: 50, p50_ms: 50, p95_ms: 50, p99_ms: 50, max_ms: 50 },
      ],
    },
    {
      title: 'latency_percentiles of one model', name: 'latency_percentiles', params: { ...range, model: 'gpt-4o' },
      expected: [{ model: 'gpt-4o', requests: 3, avg_ms: 800 / 3, p50_ms: 300, p95_ms: 390, p99_ms: 398, max_ms: 400 }],
    },
    {
      title: 'error_rate by hour over every span', name: 'error_rate', params: { ...range, bucketSeconds: 3600 },
      expected: [{ bucket: bucket(0), spans: 5, errors: 2, error_rate: 0.4 }, { bucket: bucket(60 * MIN), spans: 2, errors: 0, error_rate: 0 }],
    },
    {
      title: 'top_users by cost', name: 'top_users', params: range,
      expected: [
        { user_id: 'u1', traces: 1, requests: 2, total_tokens: 450, cost_usd: 3, errors: 1, last_seen: time(10 * MIN) },
        { user_id: 'u2', traces: 1, requests: 1, total_tokens: 100, cost_usd: 0.5, errors: 1, last_seen: time(25 * MIN) },
        { user_id: 'u3', traces: 1, requests: 2, total_tokens: 1020, cost_usd: 0.02, errors: 0, last_seen: time(75 * MIN) },
      ],
    },
    {
      title: 'top_users with a limit', name: 'top_users', params: { ...range, limit: 1 },
      expected: [{ user_id: 'u1', traces: 1, requests: 2, total_tokens: 450, cost_usd: 3, errors: 1, last_seen: time(10 * MIN) }],
    },
    {
      title: 'top_sessions by cost, spans without a session left out', name: 'top_sessions', params: range,
      expected: [
        { session_id: 's1', user_id: 'u1', traces: 1, spans: 3, requests: 2, total_tokens: 450, cost_usd: 3, errors: 1, first_seen: time(0), last_seen: time(10 * MIN) },
        { session_id: 's2', user_id: 'u2', traces: 1, spans: 2, requests: 1, total_tokens: 100, cost_usd: 0.5, errors: 1, first_seen: time(20 * MIN), last_seen: time(25 * MIN) },
      ],
    },
    {
      title: 'cost_by_project across the tenant, not beyond', name: 'cost_by_project', params: { tenantId: scope.tenantId, fromMs: range.fromMs, toMs: range.toMs },
      expected: [
        { project_id: scope.projectId, requests: 5, input_tokens: 1360, output_tokens: 210, total_tokens: 1570, cost_usd: 3.52 },
        { project_id: other.projectId, requests: 1, input_tokens: 10, output_tokens: 10, total_tokens: 20, cost_usd: 3 },
      ],
    },
    {
      title: 'cost_by_project of one project', name: 'cost_by_project', params: { tenantId: scope.tenantId, projectId: other.projectId, fromMs: range.fromMs, toMs: range.toMs },
      expected: [{ project_id: other.projectId, requests: 1, input_tokens: 10, output_tokens: 10, total_tokens: 20, cost_usd: 3 }],
    },
  ];
  return {
    scope,
    batches: [
      [e.call1, e.call2, e.call3, e.wrapper, e.tool, e.otherTenant],
      [e.unpriced, e.embed, e.after, e.before, e.otherProject],
    ],
    cases,
  };
}

/** Appends the batches, then re-delivers the first whole and part of the second (at-least-once). */
export async function appendDashboardDataset(store: AnalyticsStore, dataset: DashboardDataset): Promise<void> {
  for (const batch of dataset.batches) await store.append(batch);
  await store.append(dataset.batches[0]);
  await store.append(dataset.batches[1].slice(0, 2));
}

export function runDashboardCase(store: AnalyticsStore, c: DashboardCase): Promise<unknown[]> {
  return (store.query as (name: QueryName, params: unknown) => Promise<unknown[]>)(c.name, c.params);
}

/** Rows with fractions rounded to 9 decimals: float sums may differ in the last bits from the hand values. */
export function comparable(rows: unknown): unknown {
  return JSON.parse(JSON.stringify(rows), (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e9) / 1e9 : v));
}
