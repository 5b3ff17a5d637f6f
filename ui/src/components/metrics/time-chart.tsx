/**
 * A time series chart on uPlot: as wide as its container (follows resizes), a live legend that reads
 * the values under the cursor (totals of the range away from it), axes in the chart's unit. Dragging across the plot selects a window
 * (`onZoom`). uPlot is imported only here, so swapping the chart library touches one file.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatTime } from '../../format.ts';
import { formatTick, formatValue, type Unit } from './metric-format.ts';
import type { Series } from './metric-series.ts';

const PALETTE = ['#4f46e5', '#0ea5e9', '#16a34a', '#f59e0b', '#dc2626', '#9333ea', '#db2777', '#0d9488', '#65a30d', '#78716c'];

interface Props {
  /** Bucket starts, epoch seconds. */
  x: number[];
  series: Series[];
  unit: Unit;
  label: string;
  height?: number;
  /** Called with the dragged window, epoch milliseconds. */
  onZoom?: (fromMs: number, toMs: number) => void;
}

export function TimeChart({ x, series, unit, label, height = 190, onZoom }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const zoom = useRef(onZoom);
  zoom.current = onZoom;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const additive = unit === 'count' || unit === 'usd';
    const options: uPlot.Options = {
      width: Math.max(element.clientWidth, 200),
      height,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
      axes: [
        { stroke: '#6b6b76', grid: { stroke: '#f0f0f3' }, ticks: { stroke: '#e3e3e8' } },
        { stroke: '#6b6b76', grid: { stroke: '#f0f0f3' }, ticks: { stroke: '#e3e3e8' }, size: 58, values: (_u, ticks) => ticks.map((t) => formatTick(t, unit)) },
      ],
      series: [
        { value: (_u, v) => (v === null ? (additive ? 'Range total' : '–') : formatTime(new Date(v * 1000).toISOString())) },
        ...series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          fill: series.length === 1 ? `${PALETTE[0]}1f` : undefined,
          width: 1.5,
          spanGaps: false,
          // Away from the plot, counts and costs read their total over the range.
          value: (_u: uPlot, v: number | null, _s: number, idx: number | null) => formatValue(idx === null && additive ? totalOf(s) : v, unit),
        })),
      ],
      cursor: { drag: { x: Boolean(zoom.current), y: false, setScale: false } },
      legend: { live: true },
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width < 4 || !zoom.current) return;
            // Whole buckets: a point stands for the bucket that starts there.
            const step = x.length > 1 ? x[1] - x[0] : 1;
            const from = Math.floor(u.posToVal(u.select.left, 'x') / step) * step;
            const to = (Math.floor(u.posToVal(u.select.left + u.select.width, 'x') / step) + 1) * step;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            zoom.current(from * 1000, to * 1000);
          },
        ],
      },
    };
    const plot = new uPlot(options, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry.contentRect.width);
      if (width > 0 && width !== plot.width) plot.setSize({ width, height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [x, series, unit, height]);

  return <div class="time-chart" ref={container} role="figure" aria-label={label} />;
}

function totalOf(series: Series): number {
  return series.values.reduce<number>((total, v) => total + (v ?? 0), 0);
}
