/** The in-memory store's answer to usage_over_time: the same rules as queries/usage_over_time.sql. */
import type { CanonicalEvent } from '../../events/canonical-event.ts';
import { isoToNanos } from '../../events/time.ts';
import type { UsageParams, UsageRow } from './analytics-store.ts';

const GROUP_COLUMN = { none: null, model: 'model', provider: 'provider', service: 'service_name', type: 'type' } as const;

/** Linear interpolation between the closest ranks, as ClickHouse's `quantiles` does on small sets. */
function quantile(sorted: number[], level: number): number | null {
  if (sorted.length === 0) return null;
  const position = level * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
}

export function usageOverTime(events: CanonicalEvent[], p: UsageParams): UsageRow[] {
  const groups = new Map<string, { row: UsageRow; latencies: number[] }>();
  const column = GROUP_COLUMN[p.groupBy];
  for (const e of events) {
    const ms = Number((isoToNanos(e.start_time) ?? 0n) / 1_000_000n);
    if (e.tenant_id !== p.tenantId || e.project_id !== p.projectId || ms < p.fromMs || ms >= p.toMs) continue;
    const bucketMs = Math.floor(ms / 1000 / p.bucketSeconds) * p.bucketSeconds * 1000;
    const group = column ? String(e[column]) : '';
    const key = `${bucketMs}\u0000${group}`;
    let entry = groups.get(key);
    if (!entry) {
      const row: UsageRow = {
        bucket: new Date(bucketMs).toISOString(), group, requests: 0, input_tokens: 0, output_tokens: 0, total_tokens: 0,
        cache_read_tokens: 0, reasoning_tokens: 0, cost_usd: 0, errors: 0, p50_ms: null, p95_ms: null, p99_ms: null,
      };
      groups.set(key, (entry = { row, latencies: [] }));
    }
    const { row } = entry;
    if (e.status === 'error') row.errors += 1;
    if (!e.counts_usage) continue;
    row.input_tokens += e.input_tokens;
    row.output_tokens += e.output_tokens;
    row.total_tokens += e.total_tokens;
    row.cache_read_tokens += e.cache_read_tokens;
    row.reasoning_tokens += e.reasoning_tokens;
    row.cost_usd += e.cost_usd ?? 0;
    if (e.type === 'llm' || e.type === 'embedding') {
      row.requests += 1;
      entry.latencies.push(e.duration_ms);
    }
  }
  return [...groups.values()]
    .map(({ row, latencies }) => {
      const sorted = latencies.sort((a, b) => a - b);
      return { ...row, p50_ms: quantile(sorted, 0.5), p95_ms: quantile(sorted, 0.95), p99_ms: quantile(sorted, 0.99) };
    })
    .sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}
