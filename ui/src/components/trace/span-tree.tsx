/**
 * The span tree beside its waterfall: one row per visible span, indented by depth, with a bar placed
 * by start and duration within the trace. Rows are plain markup (no per-row handlers or effects): one
 * click and one key handler on the tree, so a 1000-span trace stays responsive.
 * Keys: ↑/↓ (j/k) move, ← collapses (or goes to the parent), → expands (or goes to the first child).
 */
import type { TargetedKeyboardEvent, TargetedMouseEvent } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { formatDuration } from '../../format.ts';
import { barGeometry, type SpanRow, type SpanTree as Tree, type TimeWindow } from './build-span-tree.ts';
import { typeClass, typeLabel, typeTitle } from './span-type.ts';

interface Props {
  tree: Tree;
  rows: SpanRow[];
  window: TimeWindow;
  selectedId: string | null;
  collapsed: ReadonlySet<string>;
  onSelect: (spanId: string) => void;
  onToggle: (spanId: string, open?: boolean) => void;
  /** Score counts by span, shown as a marker on the row. */
  scoredSpans?: ReadonlyMap<string, number>;
}

const rowId = (spanId: string) => `span-row-${spanId}`;

export function SpanTree({ tree, rows, window, selectedId, collapsed, onSelect, onToggle, scoredSpans }: Props) {
  const container = useRef<HTMLDivElement>(null);

  // Keep the selected row in view when the keyboard (or a deep link) moves the selection.
  useEffect(() => {
    if (!selectedId) return;
    // By id, not a selector: a span id is data and may hold characters a selector cannot.
    document.getElementById(rowId(selectedId))?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  const onClick = (event: TargetedMouseEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const row = target.closest<HTMLElement>('[data-span-id]');
    if (!row) return;
    const spanId = row.dataset.spanId!;
    if (target.closest('.span-toggle')) onToggle(spanId);
    else onSelect(spanId);
  };

  const onKeyDown = (event: TargetedKeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const index = Math.max(0, rows.findIndex((r) => r.node.span.span_id === selectedId));
    const current = rows[index]?.node;
    if (!current) return;
    const id = current.span.span_id;
    const hasChildren = current.children.length > 0;
    const open = hasChildren && !collapsed.has(id);
    const moveTo = (i: number) => onSelect(rows[Math.max(0, Math.min(rows.length - 1, i))].node.span.span_id);
    const actions: Record<string, () => void> = {
      ArrowDown: () => moveTo(index + 1),
      j: () => moveTo(index + 1),
      ArrowUp: () => moveTo(index - 1),
      k: () => moveTo(index - 1),
      Home: () => moveTo(0),
      End: () => moveTo(rows.length - 1),
      ArrowLeft: () => {
        if (open) onToggle(id, false);
        else if (current.span.parent_span_id && tree.byId.has(current.span.parent_span_id)) onSelect(current.span.parent_span_id);
      },
      ArrowRight: () => {
        if (hasChildren && !open) onToggle(id, true);
        else if (open) moveTo(index + 1);
      },
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  return (
    <div class="span-tree panel">
      <div class="span-tree-head" aria-hidden="true">
        <div class="span-name-col">Span</div>
        <div class="span-axis">
          <span style={{ left: '0%' }}>0</span>
          <span style={{ left: '50%' }}>{formatDuration(window.durationMs / 2)}</span>
          <span class="span-axis-end">{formatDuration(window.durationMs)}</span>
        </div>
      </div>
      <div
        ref={container}
        class="span-tree-rows"
        role="tree"
        aria-label="Spans"
        tabIndex={0}
        aria-activedescendant={selectedId ? rowId(selectedId) : undefined}
        onClick={onClick}
        onKeyDown={onKeyDown}
      >
        {rows.map(({ node, orphan }) => {
          const { span } = node;
          const hasChildren = node.children.length > 0;
          const open = hasChildren && !collapsed.has(span.span_id);
          const bar = barGeometry(node, window);
          const error = span.status === 'error';
          const scores = scoredSpans?.get(span.span_id);
          return (
            <div
              key={span.span_id}
              id={rowId(span.span_id)}
              data-span-id={span.span_id}
              role="treeitem"
              aria-level={node.depth + 1}
              aria-selected={span.span_id === selectedId}
              aria-expanded={hasChildren ? open : undefined}
              class={`span-row${span.span_id === selectedId ? ' selected' : ''}${error ? ' error' : ''}`}
            >
              <div class="span-name-col" style={{ paddingLeft: `${6 + node.depth * 14}px` }}>
                {hasChildren ? (
                  <span class="span-toggle" aria-hidden="true">{open ? '▾' : '▸'}</span>
                ) : (
                  <span class="span-toggle-space" />
                )}
                <span class={`span-type ${typeClass(span.type)}`} title={typeTitle(span.type)}>{typeLabel(span.type)}</span>
                <span class="span-label" title={span.name}>{span.name}</span>
                {orphan && <span class="span-orphan" title="The parent span of this span has not arrived">orphan</span>}
                {scores ? <span class="span-scored" title={`${scores} score${scores > 1 ? 's' : ''}`}>★</span> : null}
                {error && <span class="span-error-mark" title="Error">!</span>}
              </div>
              <div class="span-bar-track">
                <div class={`span-bar ${error ? 'bar-error' : typeClass(span.type)}`} style={{ left: `${bar.left}%`, width: `${bar.width}%` }} />
                <span class="span-duration" style={bar.left > 60 ? { right: `${100 - bar.left + 0.5}%` } : { left: `${Math.min(bar.left + bar.width, 100) + 0.5}%` }}>
                  {formatDuration(span.duration_ms)}
                </span>
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
