/**
 * Traces: the project's traces, newest first or sorted by duration, cost or tokens, filtered by time
 * range, model, status, user, session, tag and text. Everything lives in the URL (a link reopens the
 * same page of the same list). Live mode polls for new traces; an empty project shows how to send one.
 */
import { useEffect } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, get } from '../api/client.ts';
import type { Page, TraceSummary } from '../api/types.ts';
import { DataTable } from '../components/data-table.tsx';
import { Onboarding } from '../components/onboarding.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';
import { traceColumns } from '../components/traces/trace-columns.tsx';
import { TraceFilters } from '../components/traces/trace-filters.tsx';
import { activeFilters, clearFiltersPatch, filterParams, listParams, liveBlocker, sortOf, sortPatch, type SortKey } from '../components/traces/trace-query.ts';
import { CursorPager } from '../components/cursor-pager.tsx';
import { useLiveTraces } from '../components/traces/use-live-traces.ts';
import { formatCost, formatCount } from '../format.ts';
import { paths } from '../routes.ts';
import { useResource } from '../state/use-resource.ts';
import { useUrlQuery } from '../state/url-query.ts';
import '../components/traces/traces.css';

/** The URL keys that change which rows the list shows (not `live` or `back`). */
const LIST_KEYS = ['range', 'from', 'to', 'q', 'model', 'status', 'user_id', 'session_id', 'tag', 'sort', 'order', 'limit', 'cursor'];
const NO_ROWS: TraceSummary[] = [];
/** While the project is empty, look again this often so the first trace shows up by itself. */
const FIRST_TRACE_POLL_MS = 5000;

type TracesAnswer = Page<TraceSummary> & { projectEmpty: boolean };

export function TracesPage({ projectId }: { projectId: string }) {
  const location = useLocation();
  const { query, setQuery } = useUrlQuery();
  // Keyed on the URL, not on the computed range: a preset's window moves with the clock.
  const key = JSON.stringify([projectId, ...LIST_KEYS.map((k) => query[k] ?? '')]);
  const list = useResource<TracesAnswer>(async (signal) => {
    const page = await get<Page<TraceSummary>>('/api/v1/traces', listParams(query), signal);
    // Nothing here: is there nothing at all (any time, no filter)? Then the project needs its first trace.
    const projectEmpty = page.data.length === 0 && !query.cursor && (await get<Page<TraceSummary>>('/api/v1/traces', { limit: 1 }, signal)).data.length === 0;
    return { ...page, projectEmpty };
  }, key);

  const blocker = liveBlocker(query);
  const live = useLiveTraces(list.data?.data ?? NO_ROWS, key, query.live === '1' && !blocker, filterParams(query));
  const projectEmpty = list.data?.projectEmpty === true && live.rows.length === 0;
  useEffect(() => {
    if (!projectEmpty) return;
    const timer = setInterval(() => document.visibilityState === 'visible' && list.reload(), FIRST_TRACE_POLL_MS);
    return () => clearInterval(timer);
  }, [projectEmpty]);

  const filterHref = (name: string, value: string) => {
    const params = new URLSearchParams(query);
    params.set(name, value);
    params.delete('cursor');
    params.delete('back');
    return `${paths.traces(projectId)}?${params}`;
  };

  return (
    <section class="traces-page">
      <header class="page-header">
        <h1>Traces</h1>
        <div class="traces-actions">
          <TimeRangePicker />
          <LiveToggle on={query.live === '1'} blocker={blocker} onToggle={(on) => setQuery({ live: on ? '1' : null })} />
          <button type="button" onClick={list.reload} title="Load the list again" aria-label="Refresh">↻</button>
        </div>
      </header>
      <TraceFilters projectId={projectId} />
      {projectEmpty ? (
        // Kept through a failed look for the first trace: it may hold a key shown only once.
        <Onboarding projectId={projectId} />
      ) : list.error ? (
        <ErrorState error={list.error} retry={list.error instanceof ApiError && list.error.status === 400 && query.cursor ? () => setQuery({ cursor: null, back: null }) : list.reload} />
      ) : !list.data ? (
        <Loading label="Loading traces…" />
      ) : live.rows.length === 0 ? (
        <NoRows
          filtered={activeFilters(query).length > 0}
          onClear={() => setQuery(clearFiltersPatch())}
          onWiden={query.range === '30d' && !query.from ? null : () => setQuery({ range: '30d', from: null, to: null, cursor: null, back: null })}
        />
      ) : (
        <>
          <Summary rows={live.rows} loading={list.loading} />
          <div class={list.loading ? 'traces-table is-reloading' : 'traces-table'} aria-busy={list.loading}>
            <DataTable
              label="Traces"
              columns={traceColumns(projectId, filterHref)}
              rows={live.rows}
              rowKey={(t) => t.trace_id}
              rowHref={(t) => paths.trace(projectId, t.trace_id)}
              onOpen={(t) => location.route(paths.trace(projectId, t.trace_id))}
              rowClass={(t) => (live.fresh.has(t.trace_id) ? 'row-fresh' : '')}
              sort={sortOf(query)}
              onSort={(s) => setQuery(sortPatch({ key: s.key as SortKey, order: s.order }))}
            />
          </div>
          <CursorPager nextCursor={list.data.next_cursor} />
        </>
      )}
    </section>
  );
}

function LiveToggle({ on, blocker, onToggle }: { on: boolean; blocker: string | null; onToggle: (on: boolean) => void }) {
  const running = on && !blocker;
  return (
    <button
      type="button"
      class={running ? 'live-toggle is-live' : 'live-toggle'}
      aria-pressed={on}
      disabled={blocker !== null}
      title={blocker ?? (on ? 'Stop following new traces' : 'Show new traces as they arrive')}
      onClick={() => onToggle(!on)}
    >
      <span class="live-dot" aria-hidden="true" />Live
    </button>
  );
}

function Summary({ rows, loading }: { rows: TraceSummary[]; loading: boolean }) {
  let cost = 0;
  let input = 0;
  let output = 0;
  for (const t of rows) {
    cost += t.total_cost_usd;
    input += t.input_tokens;
    output += t.output_tokens;
  }
  return (
    <p class="traces-summary muted" aria-live="polite">
      <strong>{formatCount(rows.length)}</strong> {rows.length === 1 ? 'trace' : 'traces'} shown · {formatCost(cost)} · {formatCount(input)} in / {formatCount(output)} out tokens
      {loading && <span class="spinner traces-spinner" aria-label="Loading" />}
    </p>
  );
}

function NoRows({ filtered, onClear, onWiden }: { filtered: boolean; onClear: () => void; onWiden: (() => void) | null }) {
  if (filtered) {
    return (
      <Empty title="No traces match these filters">
        <p>Try another time range, or remove a filter.</p>
        <button type="button" onClick={onClear}>Clear filters</button>
      </Empty>
    );
  }
  return (
    <Empty title="No traces in this time range">
      <p>The project has traces outside it.</p>
      {onWiden && <button type="button" onClick={onWiden}>Show the last 30 days</button>}
    </Empty>
  );
}
