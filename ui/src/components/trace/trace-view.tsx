/**
 * A loaded trace: the header, then the span tree with its waterfall on the left and the selected span
 * on the right. Selection and tab come from the URL (the page passes them in), collapse state is local.
 */
import { useMemo, useState } from 'preact/hooks';
import type { TraceDetail } from '../../api/types.ts';
import { ancestorIds, buildSpanTree, defaultSpanId, traceWindow, visibleRows } from './build-span-tree.ts';
import { SpanPanel, SPAN_TABS, type SpanTab } from './span-panel.tsx';
import { SpanTree } from './span-tree.tsx';
import { TraceHeader } from './trace-header.tsx';
import './trace.css';

interface Props {
  projectId: string;
  detail: TraceDetail;
  selectedId: string | undefined;
  tab: string | undefined;
  onSelect: (spanId: string) => void;
  onTab: (tab: SpanTab) => void;
  /** Shown when the summary exists but the spans have not reached the analytics store yet. */
  onReload: () => void;
}

export function TraceView({ projectId, detail, selectedId, tab, onSelect, onTab, onReload }: Props) {
  const tree = useMemo(() => buildSpanTree(detail.spans), [detail.spans]);
  const window = useMemo(() => traceWindow(detail.spans), [detail.spans]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => visibleRows(tree, collapsed), [tree, collapsed]);
  const scoredSpans = useMemo(() => {
    const counts = new Map<string, number>();
    for (const score of detail.scores) if (score.span_id) counts.set(score.span_id, (counts.get(score.span_id) ?? 0) + 1);
    return counts;
  }, [detail.scores]);

  const selected = (selectedId && tree.byId.get(selectedId)) || (tree.byId.get(defaultSpanId(tree) ?? '') ?? null);
  const activeTab: SpanTab = SPAN_TABS.includes(tab as SpanTab) ? (tab as SpanTab) : 'chat';

  const toggle = (spanId: string, open?: boolean) => {
    const next = new Set(collapsed);
    const shouldOpen = open ?? next.has(spanId);
    if (shouldOpen) next.delete(spanId);
    else next.add(spanId);
    setCollapsed(next);
    // Collapsing the subtree that holds the selection moves the selection to the collapsed span.
    if (!shouldOpen && selected && ancestorIds(tree, selected.span.span_id).includes(spanId)) onSelect(spanId);
  };

  const missing = detail.trace.span_count - detail.spans.length;
  return (
    <div class="trace-view">
      <TraceHeader projectId={projectId} trace={detail.trace} scores={detail.scores} />
      {detail.spans.length === 0 ? (
        <div class="state state-empty panel">
          <strong>The spans of this trace are still arriving</strong>
          <div class="state-detail">The trace summary is recorded, but its spans have not reached the analytics store yet. This normally takes a few seconds.</div>
          <button type="button" onClick={onReload}>Reload</button>
        </div>
      ) : (
        <>
          {missing > 0 && (
            <div class="trace-partial small">
              {missing} of {detail.trace.span_count} spans are still arriving. <button type="button" class="link-button" onClick={onReload}>Reload</button>
            </div>
          )}
          <div class="trace-split">
            <SpanTree
              tree={tree}
              rows={rows}
              window={window}
              selectedId={selected?.span.span_id ?? null}
              collapsed={collapsed}
              onSelect={onSelect}
              onToggle={toggle}
              scoredSpans={scoredSpans}
            />
            {selected && <SpanPanel projectId={projectId} span={selected.span} scores={detail.scores} tab={activeTab} onTab={onTab} />}
          </div>
        </>
      )}
    </div>
  );
}
