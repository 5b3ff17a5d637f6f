/** The one table `npm run bench` prints: every figure beside its same-run baseline and their ratio. */
export interface Figure {
  name: string;
  unit: string;
  value: number;
  baselineName: string;
  baseline: number;
  /** Whether a higher value is better (throughput) or worse (cost, latency). */
  higherIsBetter: boolean;
}

const format = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.name, `${format(f.value)} ${f.unit}`, f.baselineName, `${format(f.baseline)} ${f.unit}`,
    `${(f.value / f.baseline).toFixed(2)}x ${f.higherIsBetter ? '(higher is better)' : '(lower is better)'}`,
  ]);
  const header = ['figure', 'value', 'baseline', 'baseline value', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** The nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: number[]) => percentile(values, 50);
