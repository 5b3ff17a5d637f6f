/**
 * The range's totals: requests, tokens, cost, error rate and latency. Latency comes per model from the
 * API; with several models the cards show the request-weighted mean of their percentiles (exact with
 * one model), and say so on hover.
 */
import { formatCost, formatCount, formatDuration } from '../../format.ts';
import type { ErrorRow, LatencyRow, UsageRow } from './metrics-api.ts';
import { sum } from './metric-series.ts';
import { StatCard } from './stat-card.tsx';
import { formatValue } from './metric-format.ts';

interface Props {
  usage: UsageRow[] | null;
  errors: ErrorRow[] | null;
  latency: LatencyRow[] | null;
}

function weighted(rows: LatencyRow[], value: (row: LatencyRow) => number): number | null {
  const requests = sum(rows, (r) => r.requests);
  return requests > 0 ? sum(rows, (r) => value(r) * r.requests) / requests : null;
}

export function MetricsCards({ usage, errors, latency }: Props) {
  const pending = '…';
  const spans = errors ? sum(errors, (r) => r.spans) : 0;
  const failed = errors ? sum(errors, (r) => r.errors) : 0;
  const latencyHint = latency && latency.length > 1
    ? `Request-weighted mean of the percentiles of ${latency.length} models (see the table below)`
    : 'Model calls only';
  return (
    <div class="cards metrics-cards">
      <StatCard label="Requests" hint="LLM and embedding calls">{usage ? formatCount(sum(usage, (r) => r.requests)) : pending}</StatCard>
      <StatCard label="Tokens" hint={usage ? `${formatCount(sum(usage, (r) => r.input_tokens))} input · ${formatCount(sum(usage, (r) => r.output_tokens))} output` : undefined}>
        {usage ? formatCount(sum(usage, (r) => r.total_tokens)) : pending}
      </StatCard>
      <StatCard label="Cost">{usage ? formatCost(sum(usage, (r) => r.cost_usd)) : pending}</StatCard>
      <StatCard label="Error rate" hint={errors ? `${formatCount(failed)} of ${formatCount(spans)} spans failed` : undefined}>
        {errors ? (spans > 0 ? formatValue(failed / spans, 'ratio') : '–') : pending}
      </StatCard>
      <StatCard label="Latency p50" hint={latencyHint}>{latency ? formatDuration(weighted(latency, (r) => r.p50_ms)) : pending}</StatCard>
      <StatCard label="Latency p95" hint={latencyHint}>{latency ? formatDuration(weighted(latency, (r) => r.p95_ms)) : pending}</StatCard>
    </div>
  );
}
