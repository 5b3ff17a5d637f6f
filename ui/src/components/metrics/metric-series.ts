/**
 * Metrics rows as chart series: one x value per bucket of the whole range (the API leaves out empty
 * buckets; counts read 0 there, latencies a gap), split per group when the view is broken down.
 */

export interface Series {
  label: string;
  values: (number | null)[];
}

/** Bucket starts (epoch seconds) covering [from, to), aligned as the API aligns them. */
export function bucketAxis(from: string, to: string, bucketSeconds: number): number[] {
  const step = bucketSeconds * 1000;
  const end = Date.parse(to);
  const axis: number[] = [];
  for (let t = Math.floor(Date.parse(from) / step) * step; t < end; t += step) axis.push(t / 1000);
  return axis;
}

type Bucketed = { bucket: string };

/** One series over the axis, rows of the same bucket summed; buckets without a value read `missing`. */
export function seriesOf<R extends Bucketed>(axis: number[], rows: R[], label: string, value: (row: R) => number | null, missing: 0 | null = 0): Series {
  const byBucket = new Map<number, number>();
  for (const row of rows) {
    const x = Date.parse(row.bucket) / 1000;
    const v = value(row);
    if (v !== null) byBucket.set(x, (byBucket.get(x) ?? 0) + v);
  }
  return { label, values: axis.map((x) => (byBucket.has(x) ? byBucket.get(x)! : missing)) };
}

/** The group a row belongs to, named for the legend. */
export const groupLabel = (group: string | undefined) => (group ? group : '(none)');

/**
 * The groups (models, providers) to chart, at most `top`, largest first by the first measure, ties
 * broken by the next: every chart of the view uses this one order, so a group keeps its colour from
 * chart to chart. Groups that measure nothing (spans that are not model calls) are left out.
 */
export function rankGroups<R>(rows: R[], groupOf: (row: R) => string | undefined, measures: ((row: R) => number)[], top = 8): { shown: string[]; others: number } {
  const totals = new Map<string, number[]>();
  for (const row of rows) {
    const group = groupLabel(groupOf(row));
    const sums = totals.get(group) ?? measures.map(() => 0);
    measures.forEach((measure, i) => (sums[i] += measure(row)));
    totals.set(group, sums);
  }
  const byLargest = (a: number[], b: number[]) => a.map((v, i) => b[i] - v).find((d) => d !== 0) ?? 0;
  const ranked = [...totals.entries()].filter(([, sums]) => sums.some((v) => v > 0)).sort((a, b) => byLargest(a[1], b[1])).map(([group]) => group);
  return { shown: ranked.slice(0, top), others: Math.max(0, ranked.length - top) };
}

/** One series per ranked group, then the remaining groups summed as "Other". */
export function groupedSeries<R extends Bucketed>(axis: number[], rows: R[], groupOf: (row: R) => string | undefined, value: (row: R) => number, groups: { shown: string[]; others: number }): Series[] {
  const series = groups.shown.map((group) => seriesOf(axis, rows.filter((r) => groupLabel(groupOf(r)) === group), group, value));
  if (groups.others > 0) {
    const shown = new Set(groups.shown);
    series.push(seriesOf(axis, rows.filter((r) => !shown.has(groupLabel(groupOf(r)))), `Other (${groups.others})`, value));
  }
  return series;
}

export function hasData(series: Series[]): boolean {
  return series.some((s) => s.values.some((v) => v !== null && v !== 0));
}

export function sum<R>(rows: R[], value: (row: R) => number): number {
  return rows.reduce((total, row) => total + value(row), 0);
}
