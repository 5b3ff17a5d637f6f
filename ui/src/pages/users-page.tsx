/**
 * Users: usage per end user of the app (not dashboard members) over a range, from the metrics API,
 * sortable here; each user leads to their sessions and traces.
 */
import { useLocation } from 'preact-iso';
import { get, withQuery } from '../api/client.ts';
import { DataTable, type Column, type SortState } from '../components/data-table.tsx';
import { Empty, ErrorState, Loading } from '../components/states.tsx';
import { TimeRangePicker } from '../components/time-range-picker.tsx';
import type { MetricsAnswer, UserRow } from '../components/metrics/metrics-api.ts';
import { formatAgo, formatCost, formatCount, formatTime } from '../format.ts';
import { paths } from '../routes.ts';
import { rangeFromQuery } from '../state/time-range.ts';
import { useResource } from '../state/use-resource.ts';
import { useUrlQuery } from '../state/url-query.ts';
import '../components/sessions/sessions.css';

/** The most the API lists (by cost). */
const LIMIT = 100;
const RANGE_FALLBACK = '7d';
const SORT_KEYS = ['user_id', 'traces', 'requests', 'total_tokens', 'cost_usd', 'errors', 'last_seen'] as const;
type SortKey = (typeof SORT_KEYS)[number];

export function UsersPage({ projectId }: { projectId: string }) {
  const location = useLocation();
  const { query, setQuery } = useUrlQuery();
  const users = useResource((signal) => {
    const range = rangeFromQuery(query, RANGE_FALLBACK);
    return get<MetricsAnswer<UserRow>>('/api/v1/metrics/top-users', { from: range.from, to: range.to, limit: LIMIT }, signal);
  }, JSON.stringify([projectId, query.range, query.from, query.to]));

  const sortKey: SortKey = SORT_KEYS.find((k) => k === query.sort) ?? 'cost_usd';
  const sort: SortState = { key: sortKey, order: query.order === 'asc' ? 'asc' : 'desc' };
  const rows = [...(users.data?.data ?? [])].sort((a, b) => compare(a[sortKey], b[sortKey]) * (sort.order === 'asc' ? 1 : -1));

  // The user's sessions and traces in the same range.
  const rangeQuery = { range: query.range, from: query.from, to: query.to };
  const sessionsOf = (u: UserRow) => withQuery(paths.sessions(projectId), { user_id: u.user_id, ...rangeQuery });
  const tracesOf = (u: UserRow) => withQuery(paths.traces(projectId), { user_id: u.user_id, ...rangeQuery });

  const columns: Column<UserRow>[] = [
    { id: 'user', label: 'User', sortKey: 'user_id', render: (u) => <span class="mono" title={`${u.user_id}: sessions`}>{u.user_id}</span> },
    { id: 'traces', label: 'Traces', align: 'right', sortKey: 'traces', render: (u) => formatCount(u.traces) },
    { id: 'requests', label: 'LLM requests', align: 'right', sortKey: 'requests', render: (u) => formatCount(u.requests) },
    { id: 'tokens', label: 'Tokens', align: 'right', sortKey: 'total_tokens', render: (u) => formatCount(u.total_tokens) },
    { id: 'cost', label: 'Cost', align: 'right', sortKey: 'cost_usd', render: (u) => formatCost(u.cost_usd) },
    { id: 'errors', label: 'Errors', align: 'right', sortKey: 'errors', render: (u) => (u.errors > 0 ? <span class="status-error">{formatCount(u.errors)}</span> : <span class="muted">0</span>) },
    { id: 'last', label: 'Last activity', sortKey: 'last_seen', render: (u) => <span title={formatTime(u.last_seen)}>{formatAgo(u.last_seen)}</span> },
    { id: 'links', label: '', render: (u) => <span class="row-links small"><a href={sessionsOf(u)}>Sessions</a> · <a href={tracesOf(u)}>Traces</a></span> },
  ];

  const list = users.data?.data ?? [];
  return (
    <section>
      <header class="page-header">
        <h1>Users</h1>
        <TimeRangePicker fallback={RANGE_FALLBACK} />
      </header>
      <p class="muted small">
        The end users of your app, from the <code>user.id</code> (or <code>enduser.id</code>) attribute of spans, or the SDK's <code>withUser</code>.
        {list.length >= LIMIT && ` The ${LIMIT} costliest users of the range.`}
      </p>
      {users.error ? (
        <ErrorState error={users.error} retry={users.reload} />
      ) : users.loading && !users.data ? (
        <Loading label="Loading users…" />
      ) : rows.length === 0 ? (
        <Empty title="No users in this range">Set <code>user.id</code> on your spans, or wrap calls in <code>withUser(id, …)</code> with the SDK, to see usage per user.</Empty>
      ) : (
        <div class={users.loading ? 'is-reloading' : ''}>
          <DataTable
            label="Users"
            columns={columns}
            rows={rows}
            rowKey={(u) => u.user_id}
            rowHref={sessionsOf}
            onOpen={(u) => location.route(sessionsOf(u))}
            sort={sort}
            onSort={(next) => setQuery({ sort: next.key, order: next.order })}
          />
        </div>
      )}
    </section>
  );
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}
