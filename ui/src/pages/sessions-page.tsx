/**
 * Sessions: conversations and other multi-trace flows grouped by `session.id`, most recently active
 * first. Range, user filter and page live in the URL; Enter (or a click) opens the session replay.
 */
import { useLocation } from 'preact-iso';
import { get } from '../api/client.ts';
import type { Page, SessionSummary } from '../api/types.ts';
import { DataTable, type Column } from '../components/data-table.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';
import { CursorPager } from '../components/cursor-pager.tsx';
import { UserFilter } from '../components/sessions/user-filter.tsx';
import { ModelBadges } from '../components/sessions/model-badges.tsx';
import { formatAgo, formatCost, formatCount, formatDuration, formatTime } from '../format.ts';
import { paths } from '../routes.ts';
import { rangeFromQuery } from '../state/time-range.ts';
import { useResource } from '../state/use-resource.ts';
import { useUrlQuery } from '../state/url-query.ts';
import '../components/sessions/sessions.css';

const PAGE_SIZE = 50;
const RANGE_FALLBACK = '7d';

export function SessionsPage({ projectId }: { projectId: string }) {
  const location = useLocation();
  const { query, setQuery } = useUrlQuery();
  const userId = query.user_id ?? '';
  // Keyed on the URL, not on the computed range: a preset's window moves with the clock.
  const key = JSON.stringify([projectId, query.range, query.from, query.to, userId, query.cursor]);
  const sessions = useResource((signal) => {
    const range = rangeFromQuery(query, RANGE_FALLBACK);
    return get<Page<SessionSummary>>('/api/v1/sessions', { from: range.from, to: range.to, user_id: userId, limit: PAGE_SIZE, cursor: query.cursor }, signal);
  }, key);

  const href = (row: SessionSummary) => paths.session(projectId, row.session_id);
  const columns: Column<SessionSummary>[] = [
    { id: 'end', label: 'Last activity', width: '150px', render: (s) => <span title={formatAgo(s.end_time)}>{formatTime(s.end_time)}</span> },
    { id: 'session', label: 'Session', render: (s) => <span class="mono" title={s.session_id}>{s.session_id}</span> },
    {
      id: 'user',
      label: 'User',
      render: (s) => (s.user_id ? (
        <button type="button" class="link-button" title="Only this user's sessions" onClick={() => setQuery({ user_id: s.user_id, cursor: null, back: null })}>{s.user_id}</button>
      ) : <span class="muted">–</span>),
    },
    { id: 'traces', label: 'Traces', align: 'right', render: (s) => formatCount(s.trace_count) },
    { id: 'llm', label: 'LLM calls', align: 'right', render: (s) => formatCount(s.llm_call_count) },
    { id: 'errors', label: 'Errors', align: 'right', render: (s) => (s.error_count > 0 ? <span class="status-error">{formatCount(s.error_count)}</span> : <span class="muted">0</span>) },
    { id: 'tokens', label: 'Tokens', align: 'right', render: (s) => formatCount(s.total_tokens) },
    { id: 'cost', label: 'Cost', align: 'right', render: (s) => formatCost(s.total_cost_usd) },
    { id: 'duration', label: 'Duration', align: 'right', render: (s) => formatDuration(s.duration_ms) },
    { id: 'models', label: 'Models', render: (s) => <ModelBadges models={s.models} /> },
  ];

  const rows = sessions.data?.data ?? [];
  return (
    <section>
      <header class="page-header">
        <h1>Sessions</h1>
        <div class="toolbar">
          <UserFilter value={userId} onChange={(value) => setQuery({ user_id: value, cursor: null, back: null })} />
          <TimeRangePicker fallback={RANGE_FALLBACK} />
        </div>
      </header>
      {sessions.error ? (
        <ErrorState error={sessions.error} retry={sessions.reload} />
      ) : sessions.loading && !sessions.data ? (
        <Loading label="Loading sessions…" />
      ) : rows.length === 0 ? (
        <Empty title={userId ? `No sessions of ${userId} in this range` : 'No sessions in this range'}>
          Traces join a session when they carry <code>session.id</code> (OpenTelemetry) or the SDK's <code>withSession</code>. Try a longer range.
        </Empty>
      ) : (
        <div class={sessions.loading ? 'is-reloading' : ''}>
          <DataTable label="Sessions" columns={columns} rows={rows} rowKey={(s) => s.session_id} rowHref={href} onOpen={(s) => location.route(href(s))} />
          <CursorPager nextCursor={sessions.data?.next_cursor ?? null} />
        </div>
      )}
    </section>
  );
}
