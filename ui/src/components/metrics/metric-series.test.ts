import { describe, expect, it } from 'vitest';
import { bucketAxis, groupedSeries, hasData, rankGroups, seriesOf } from './metric-series.ts';

const HOUR = 3600;

describe('metric series', () => {
  it('covers the whole range with buckets aligned like the API, empty ones as 0 or a gap', () => {
    const axis = bucketAxis('2026-01-01T10:20:00Z', '2026-01-01T13:00:00Z', HOUR);
    expect(axis.map((x) => new Date(x * 1000).toISOString().slice(11, 16))).toEqual(['10:00', '11:00', '12:00']);
    const rows = [{ bucket: '2026-01-01T11:00:00.000Z', requests: 4, p95_ms: null }];
    expect(seriesOf(axis, rows, 'Requests', (r) => r.requests).values).toEqual([0, 4, 0]);
    expect(seriesOf(axis, rows, 'p95', (r) => r.p95_ms, null).values).toEqual([null, null, null]);
    expect(hasData([seriesOf(axis, rows, 'p95', (r) => r.p95_ms, null)])).toBe(false);
  });

  it('splits per group in one order for every chart, sums the tail as Other, and leaves out empty groups', () => {
    const axis = bucketAxis('2026-01-01T10:00:00Z', '2026-01-01T12:00:00Z', HOUR);
    const rows = [
      { bucket: '2026-01-01T10:00:00.000Z', model: 'small', cost: 1 },
      { bucket: '2026-01-01T10:00:00.000Z', model: 'big', cost: 5 },
      { bucket: '2026-01-01T11:00:00.000Z', model: 'tiny', cost: 0.5 },
      { bucket: '2026-01-01T11:00:00.000Z', model: '', cost: 0.25 },
      { bucket: '2026-01-01T11:00:00.000Z', model: 'unused', cost: 0 },
    ];
    const groups = rankGroups(rows, (r) => r.model, [(r) => r.cost], 2);
    expect(groups).toEqual({ shown: ['big', 'small'], others: 2 });
    expect(groupedSeries(axis, rows, (r) => r.model, (r) => r.cost, groups)).toEqual([
      { label: 'big', values: [5, 0] },
      { label: 'small', values: [1, 0] },
      { label: 'Other (2)', values: [0, 0.75] },
    ]);
    // Another measure keeps the order and colours of the first.
    expect(groupedSeries(axis, rows, (r) => r.model, () => 1, groups).map((s) => s.label)).toEqual(['big', 'small', 'Other (2)']);
  });
});
