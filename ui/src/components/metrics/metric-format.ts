/** How chart values read: in the legend as precise as the rest of the dashboard, on axes short. */
import { formatCost, formatCount, formatDuration } from '../../format.ts';

export type Unit = 'count' | 'usd' | 'ms' | 'ratio';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return '–';
  if (unit === 'usd') return formatCost(value);
  if (unit === 'ms') return formatDuration(value);
  if (unit === 'ratio') return `${(value * 100).toFixed(value > 0 && value < 0.1 ? 2 : 1)}%`;
  return formatCount(value);
}

/** Tick labels: short. */
export function formatTick(value: number, unit: Unit): string {
  if (unit === 'usd') return value === 0 ? '$0' : `$${value >= 10 ? compact.format(value) : Number(value.toPrecision(2))}`;
  if (unit === 'ms') return value >= 1000 ? `${Number((value / 1000).toPrecision(3))} s` : `${Number(value.toPrecision(3))} ms`;
  if (unit === 'ratio') return `${Number((value * 100).toPrecision(3))}%`;
  return compact.format(value);
}
