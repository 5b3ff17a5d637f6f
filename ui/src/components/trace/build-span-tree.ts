/**
 * Spans -> the rows of the tree beside the waterfall. Pure and linear in the number of spans, so a
 * 1000-span trace builds in a blink: children sorted by start time (longer first on ties), spans
 * whose parent never arrived shown at the root level, collapsed subtrees skipped.
 */
import type { Span } from '../../api/types.ts';

export interface SpanNode {
  span: Span;
  depth: number;
  children: SpanNode[];
  /** Start in ms since the epoch (ISO strings carry nanoseconds; Date.parse only needs the milliseconds). */
  startMs: number;
}

export interface SpanRow {
  node: SpanNode;
  /** The span's parent is not in this trace (not arrived, or dropped). */
  orphan: boolean;
}

/** Milliseconds since the epoch of an RFC 3339 time with any number of fraction digits. */
export function timeMs(iso: string): number {
  const trimmed = iso.replace(/(\.\d{3})\d+/, '$1');
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? 0 : ms;
}

const byStart = (a: SpanNode, b: SpanNode) => a.startMs - b.startMs || b.span.duration_ms - a.span.duration_ms || a.span.span_id.localeCompare(b.span.span_id);

export interface SpanTree {
  roots: SpanNode[];
  orphans: Set<string>;
  byId: Map<string, SpanNode>;
}

export function buildSpanTree(spans: readonly Span[]): SpanTree {
  const byId = new Map<string, SpanNode>();
  for (const span of spans) byId.set(span.span_id, { span, depth: 0, children: [], startMs: timeMs(span.start_time) });
  const roots: SpanNode[] = [];
  const orphans = new Set<string>();
  for (const node of byId.values()) {
    const parentId = node.span.parent_span_id;
    const parent = parentId && parentId !== node.span.span_id ? byId.get(parentId) : undefined;
    if (parent) parent.children.push(node);
    else {
      roots.push(node);
      if (parentId) orphans.add(node.span.span_id);
    }
  }
  roots.sort(byStart);
  const seen = new Set<SpanNode>();
  for (const root of roots) placeSubtree(root, seen);
  // Spans in a parent cycle (bad data) are reachable from no root: show them at the root level too.
  for (const node of byId.values()) {
    if (seen.has(node)) continue;
    node.depth = 0;
    roots.push(node);
    orphans.add(node.span.span_id);
    placeSubtree(node, seen);
  }
  return { roots, orphans, byId };
}

/** Depths and child order, iteratively (deep agent loops must not overflow the stack); each node once. */
function placeSubtree(root: SpanNode, seen: Set<SpanNode>): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    node.children.sort(byStart);
    for (let i = node.children.length - 1; i >= 0; i--) {
      const child = node.children[i];
      if (seen.has(child)) continue;
      child.depth = node.depth + 1;
      stack.push(child);
    }
  }
}

/** The rows shown, depth first, skipping the descendants of collapsed spans. */
export function visibleRows(tree: SpanTree, collapsed: ReadonlySet<string>): SpanRow[] {
  const rows: SpanRow[] = [];
  const stack = [...tree.roots].reverse();
  const seen = new Set<SpanNode>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    rows.push({ node, orphan: tree.orphans.has(node.span.span_id) });
    if (collapsed.has(node.span.span_id)) continue;
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return rows;
}

/** The span opened by default: the first LLM call in tree order, else the first root. */
export function defaultSpanId(tree: SpanTree): string | null {
  const rows = visibleRows(tree, new Set());
  return (rows.find((r) => r.node.span.type === 'llm') ?? rows[0])?.node.span.span_id ?? null;
}

/** Ids of a span's ancestors, so a selected span deep in a collapsed subtree can be revealed. */
export function ancestorIds(tree: SpanTree, spanId: string): string[] {
  const ids: string[] = [];
  let node = tree.byId.get(spanId);
  while (node && node.span.parent_span_id && ids.length < tree.byId.size) {
    const parent = tree.byId.get(node.span.parent_span_id);
    if (!parent) break;
    ids.push(parent.span.span_id);
    node = parent;
  }
  return ids;
}

export interface TimeWindow {
  startMs: number;
  durationMs: number;
}

/** The window the waterfall spans: from the earliest start to the latest end of any span. */
export function traceWindow(spans: readonly Span[]): TimeWindow {
  let start = Infinity;
  let end = -Infinity;
  for (const span of spans) {
    const s = timeMs(span.start_time);
    start = Math.min(start, s);
    end = Math.max(end, s + Math.max(0, span.duration_ms || 0));
  }
  if (!Number.isFinite(start)) return { startMs: 0, durationMs: 0 };
  return { startMs: start, durationMs: Math.max(0, end - start) };
}

/** A bar's left offset and width in percent of the window; at least MIN_BAR_PERCENT wide so instant spans show. */
export const MIN_BAR_PERCENT = 0.4;

export function barGeometry(node: SpanNode, window: TimeWindow): { left: number; width: number } {
  if (window.durationMs <= 0) return { left: 0, width: 100 };
  const offset = ((node.startMs - window.startMs) / window.durationMs) * 100;
  const left = Math.min(100 - MIN_BAR_PERCENT, Math.max(0, offset));
  const width = Math.max(MIN_BAR_PERCENT, Math.min(100 - left, (Math.max(0, node.span.duration_ms) / window.durationMs) * 100));
  return { left, width };
}
