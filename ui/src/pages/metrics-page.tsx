/**
 * Metrics: the range's totals, charts over time (requests, tokens, cost, latency, error rate), split
 * per model or provider on demand, and a table of models. Range and breakdown live in the URL;
 * dragging across a chart zooms the range.
 */
import { useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { get, withQuery } from '../api/client.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';
import { ChartPanel } from '../components/metrics/chart-panel.tsx';
import { MetricsCards } from '../components/metrics/metrics-cards.tsx';
import { ModelsTable, withLatency, type ModelUsage } from '../components/metrics/models-table.tsx';
import { bucketAxis, groupedSeries, rankGroups, seriesOf } from '../components/metrics/metric-series.ts';
import type { Breakdown, BucketedAnswer, ErrorRow, LatencyRow, MetricsAnswer, ModelRow, UsageRow } from '../components/metrics/metrics-api.ts';
import { paths } from '../routes.ts';
import { rangeFromQuery } from '../state/time-range.ts';
import { useResource } from '../state/use-resource.ts';
import { useUrlQuery } from '../state/url-query.ts';
import '../components/metrics/metrics.css';

const BREAKDOWNS: { id: Breakdown; label: string }[] = [
  { id: 'none', label: 'None' },
  { id: 'model', label: 'Model' },
  { id: 'provider', label: 'Provider' },
];

export function MetricsPage({ projectId }: { projectId: string }) {
  const location = useLocation();
  const { query, setQuery } = useUrlQuery();
  const breakdown = BREAKDOWNS.find((b) => b.id === query.by)?.id ?? 'none';
  const [refreshed, setRefreshed] = useState(0);
  // One window for every query of the view, so their buckets line up; a preset moves on refresh.
  const key = JSON.stringify([projectId, query.range, query.from, query.to, refreshed]);
  const range = useMemo(() => rangeFromQuery(query, '24h'), [key]);
  const bounds = { from: range.from, to: range.to };

  const usage = useResource((signal) => get<BucketedAnswer<UsageRow>>('/api/v1/metrics/usage', bounds, signal), key);
  const grouped = useResource(
    (signal) => (breakdown === 'none' ? Promise.resolve(null) : get<BucketedAnswer<UsageRow>>('/api/v1/metrics/usage', { ...bounds, group_by: breakdown }, signal)),
    `${key}/${breakdown}`,
  );
  const errors = useResource((signal) => get<BucketedAnswer<ErrorRow>>('/api/v1/metrics/errors', bounds, signal), key);
  const models = useResource((signal) => get<MetricsAnswer<ModelRow>>('/api/v1/metrics/models', bounds, signal), key);
  const latency = useResource((signal) => get<MetricsAnswer<LatencyRow>>('/api/v1/metrics/latency', bounds, signal), key);

  const totals = useMemo(() => {
    if (!usage.data) return null;
    const rows = usage.data.data;
    const x = bucketAxis(usage.data.from, usage.data.to, usage.data.bucket_seconds);
    return {
      requests: { x, series: [seriesOf(x, rows, 'Requests', (r) => r.requests)] },
      tokens: { x, series: [seriesOf(x, rows, 'Input', (r) => r.input_tokens), seriesOf(x, rows, 'Output', (r) => r.output_tokens)] },
      cost: { x, series: [seriesOf(x, rows, 'Cost', (r) => r.cost_usd)] },
      latency: { x, series: (['p50_ms', 'p95_ms', 'p99_ms'] as const).map((p) => seriesOf(x, rows, p.slice(0, 3), (r) => r[p], null)) },
    };
  }, [usage.data]);

  const split = useMemo(() => {
    // Until the new breakdown arrives, the previous one's rows are not shown under the new name.
    if (!grouped.data || grouped.data.group_by !== breakdown) return null;
    const rows = grouped.data.data;
    const x = bucketAxis(grouped.data.from, grouped.data.to, grouped.data.bucket_seconds);
    const groupOf = (r: UsageRow) => (breakdown === 'provider' ? r.provider : r.model);
    // Costliest first; requests and tokens rank the unpriced ones.
    const groups = rankGroups(rows, groupOf, [(r) => r.cost_usd, (r) => r.requests, (r) => r.total_tokens]);
    return {
      requests: { x, series: groupedSeries(x, rows, groupOf, (r) => r.requests, groups) },
      tokens: { x, series: groupedSeries(x, rows, groupOf, (r) => r.total_tokens, groups) },
      cost: { x, series: groupedSeries(x, rows, groupOf, (r) => r.cost_usd, groups) },
    };
  }, [grouped.data, breakdown]);

  const errorRate = useMemo(() => {
    if (!errors.data) return null;
    const x = bucketAxis(errors.data.from, errors.data.to, errors.data.bucket_seconds);
    // Buckets without spans have no rate (a gap), not a rate of 0.
    return { x, series: [seriesOf(x, errors.data.data, 'Error rate', (r) => r.error_rate, null)] };
  }, [errors.data]);

  const rangeQuery = { range: query.range, from: query.from, to: query.to };
  const tracesOfModel = (m: ModelUsage) => withQuery(paths.traces(projectId), { model: m.model, ...rangeQuery });
  const onZoom = (fromMs: number, toMs: number) => setQuery({ range: null, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() }, { push: true });
  const byGroup = breakdown !== 'none';
  const usageChart = (title: string, part: 'requests' | 'tokens' | 'cost', unit: 'count' | 'usd') => {
    const source = byGroup ? grouped : usage;
    const data = byGroup ? split?.[part] : totals?.[part];
    return <ChartPanel title={byGroup ? `${title} by ${breakdown}` : title} data={data ?? null} loading={source.loading} error={source.error} retry={source.reload} unit={unit} onZoom={onZoom} />;
  };

  return (
    <section class="metrics-page">
      <header class="page-header">
        <h1>Metrics</h1>
        <div class="metrics-toolbar">
          <label class="inline">
            Break down by
            <select aria-label="Break down by" value={breakdown} onChange={(e) => setQuery({ by: (e.target as HTMLSelectElement).value === 'none' ? null : (e.target as HTMLSelectElement).value })}>
              {BREAKDOWNS.map((b) => <option key={b.id} value={b.id}>{b.label}</option>)}
            </select>
          </label>
          <TimeRangePicker fallback="24h" />
          <button type="button" onClick={() => setRefreshed((n) => n + 1)} title="Reload with the range up to now">Refresh</button>
        </div>
      </header>
      <MetricsCards usage={usage.data?.data ?? null} errors={errors.data?.data ?? null} latency={latency.data?.data ?? null} />
      <div class="chart-grid">
        {usageChart('Requests', 'requests', 'count')}
        {usageChart(byGroup ? 'Tokens' : 'Tokens (input, output)', 'tokens', 'count')}
        {usageChart('Cost', 'cost', 'usd')}
        <ChartPanel title="Latency of model calls (p50, p95, p99)" data={totals?.latency ?? null} loading={usage.loading} error={usage.error} retry={usage.reload} unit="ms" onZoom={onZoom} />
        <ChartPanel title="Error rate (spans in error)" data={errorRate} loading={errors.loading} error={errors.error} retry={errors.reload} unit="ratio" onZoom={onZoom} />
      </div>
      <h2>Models</h2>
      {models.error || latency.error ? (
        <ErrorState error={(models.error ?? latency.error)!} retry={() => (models.reload(), latency.reload())} />
      ) : !models.data || !latency.data ? (
        <Loading label="Loading models…" />
      ) : (
        <ModelsTable rows={withLatency(models.data.data, latency.data.data)} hrefOf={tracesOfModel} onOpen={(m) => location.route(tracesOfModel(m))} />
      )}
    </section>
  );
}
