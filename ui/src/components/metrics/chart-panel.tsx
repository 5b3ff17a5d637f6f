/** A titled chart with its own loading, empty and error states, so one failed query leaves the rest. */
import type { ComponentChildren } from 'preact';
import { Empty, ErrorState, Loading } from '../states.tsx';
import { hasData, type Series } from './metric-series.ts';
import type { Unit } from './metric-format.ts';
import { TimeChart } from './time-chart.tsx';

interface Props {
  title: string;
  /** The chart's data, null while it loads. */
  data: { x: number[]; series: Series[] } | null;
  loading: boolean;
  error: Error | null;
  retry: () => void;
  unit: Unit;
  onZoom?: (fromMs: number, toMs: number) => void;
  /** What "no data" means for this chart. */
  emptyHint?: ComponentChildren;
}

export function ChartPanel({ title, data, loading, error, retry, unit, onZoom, emptyHint }: Props) {
  return (
    <section class={`panel chart-panel ${loading && data ? 'is-reloading' : ''}`} aria-label={title}>
      <h3 class="chart-title">{title}</h3>
      <div class="chart-body">
        {error ? (
          <ErrorState error={error} retry={retry} />
        ) : !data ? (
          <Loading />
        ) : !hasData(data.series) ? (
          <Empty title="No data in this range">{emptyHint}</Empty>
        ) : (
          <TimeChart x={data.x} series={data.series} unit={unit} label={title} onZoom={onZoom} />
        )}
      </div>
    </section>
  );
}
