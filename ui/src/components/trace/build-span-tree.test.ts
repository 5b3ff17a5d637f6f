import { describe, expect, it } from 'vitest';
import type { Span } from '../../api/types.ts';
import { ancestorIds, barGeometry, buildSpanTree, defaultSpanId, timeMs, traceWindow, visibleRows } from './build-span-tree.ts';

const T0 = Date.parse('2026-11-29T10:00:00.000Z');

function span(id: string, parent: string, startOffsetMs: number, durationMs: number, extra: Partial<Span> = {}): Span {
  return {
    span_id: id,
    parent_span_id: parent,
    name: id,
    type: 'span',
    start_time: new Date(T0 + startOffsetMs).toISOString().replace('Z', '123456Z'), // nanosecond precision, as stored
    duration_ms: durationMs,
    ...extra,
  } as Span;
}

const ids = (rows: ReturnType<typeof visibleRows>) => rows.map((r) => `${'  '.repeat(r.node.depth)}${r.node.span.span_id}`);

describe('buildSpanTree', () => {
  it('nests children under parents, ordered by start time (longer first on ties), whatever the input order', () => {
    const tree = buildSpanTree([
      span('tool', 'agent', 300, 100),
      span('llm2', 'agent', 500, 400),
      span('agent', '', 0, 1000),
      span('llm1', 'agent', 10, 280),
      span('llm1b', 'agent', 10, 500),
    ]);
    expect(ids(visibleRows(tree, new Set()))).toEqual(['agent', '  llm1b', '  llm1', '  tool', '  llm2']);
  });

  it('puts spans whose parent is missing at the root level, marked as orphans, in start order', () => {
    const tree = buildSpanTree([span('late-root', '', 50, 10), span('child', 'late-root', 55, 1), span('lost', 'aaaaaaaaaaaaaaaa', 20, 5)]);
    const rows = visibleRows(tree, new Set());
    expect(ids(rows)).toEqual(['lost', 'late-root', '  child']);
    expect(rows.map((r) => r.orphan)).toEqual([true, false, false]);
  });

  it('survives a span that names itself or a cycle as parent', () => {
    const tree = buildSpanTree([span('a', 'a', 0, 1), span('b', 'c', 1, 1), span('c', 'b', 2, 1)]);
    expect(ids(visibleRows(tree, new Set()))).toEqual(['a', 'b', '  c']);
  });

  it('hides the descendants of collapsed spans', () => {
    const tree = buildSpanTree([span('root', '', 0, 10), span('a', 'root', 1, 5), span('a1', 'a', 2, 1), span('b', 'root', 6, 1)]);
    expect(ids(visibleRows(tree, new Set(['a'])))).toEqual(['root', '  a', '  b']);
    expect(ids(visibleRows(tree, new Set(['root'])))).toEqual(['root']);
    expect(ancestorIds(tree, 'a1')).toEqual(['a', 'root']);
  });

  it('opens the first LLM span by default, else the root', () => {
    expect(defaultSpanId(buildSpanTree([span('root', '', 0, 10), span('tool', 'root', 1, 1, { type: 'tool' }), span('llm', 'root', 2, 1, { type: 'llm' })]))).toBe('llm');
    expect(defaultSpanId(buildSpanTree([span('root', '', 0, 10), span('tool', 'root', 1, 1, { type: 'tool' })]))).toBe('root');
    expect(defaultSpanId(buildSpanTree([]))).toBeNull();
  });

  it('builds a deep 5000-span chain without recursion limits', () => {
    const spans = Array.from({ length: 5000 }, (_, i) => span(`s${i}`, i === 0 ? '' : `s${i - 1}`, i, 5000 - i));
    const rows = visibleRows(buildSpanTree(spans), new Set());
    expect(rows).toHaveLength(5000);
    expect(rows[4999].node.depth).toBe(4999);
  });
});

describe('waterfall geometry', () => {
  it('reads nanosecond timestamps to the millisecond', () => {
    expect(timeMs('2026-11-29T10:00:00.123456789Z')).toBe(T0 + 123);
    expect(timeMs('2026-11-29T10:00:00Z')).toBe(T0);
  });

  it('places bars by start and duration relative to the whole trace', () => {
    const spans = [span('root', '', 0, 1000), span('a', 'root', 250, 500), span('instant', 'root', 1000, 0)];
    const tree = buildSpanTree(spans);
    const window = traceWindow(spans);
    expect(window).toEqual({ startMs: T0, durationMs: 1000 });
    expect(barGeometry(tree.byId.get('root')!, window)).toEqual({ left: 0, width: 100 });
    expect(barGeometry(tree.byId.get('a')!, window)).toEqual({ left: 25, width: 50 });
    const instant = barGeometry(tree.byId.get('instant')!, window);
    expect(instant.width).toBeGreaterThan(0); // still visible
    expect(instant.left + instant.width).toBeLessThanOrEqual(100);
  });

  it('a trace of zero length fills the row', () => {
    const spans = [span('only', '', 0, 0)];
    expect(barGeometry(buildSpanTree(spans).byId.get('only')!, traceWindow(spans))).toEqual({ left: 0, width: 100 });
  });
});
