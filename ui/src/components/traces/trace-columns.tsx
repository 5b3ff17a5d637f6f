/**
 * The traces table's columns. Cells are plain text and a few links: a page is at most a few hundred
 * rows, and nothing here costs more than formatting a number.
 */
import type { TraceSummary } from '../../api/types.ts';
import { formatCost, formatCount, formatDuration, formatTime } from '../../format.ts';
import { paths } from '../../routes.ts';
import type { Column } from '../data-table.tsx';

const MAX_TAGS = 2;

/** `filterHref(key, value)`: this list narrowed to one user (keeps range and other filters). */
export function traceColumns(projectId: string, filterHref: (key: string, value: string) => string): Column<TraceSummary>[] {
  return [
    { id: 'time', label: 'Time', sortKey: 'start_time', width: '160px', render: (t) => <span title={t.start_time}>{formatTime(t.start_time)}</span> },
    { id: 'name', label: 'Name', render: (t) => <TraceName trace={t} /> },
    { id: 'status', label: 'Status', width: '74px', render: (t) => <span class={`status-${t.status}`}><span class={`status-dot dot-${t.status}`} aria-hidden="true" />{t.status}</span> },
    { id: 'duration', label: 'Duration', sortKey: 'duration_ms', align: 'right', width: '86px', render: (t) => formatDuration(t.duration_ms) },
    { id: 'models', label: 'Models', width: '124px', render: (t) => <Models models={t.models} /> },
    {
      id: 'tokens',
      label: 'Tokens',
      sortKey: 'total_tokens',
      align: 'right',
      width: '104px',
      render: (t) => <span title={`${formatCount(t.input_tokens)} in / ${formatCount(t.output_tokens)} out (${formatCount(t.total_tokens)} in total)`}>{formatCount(t.input_tokens)} / {formatCount(t.output_tokens)}</span>,
    },
    { id: 'cost', label: 'Cost', sortKey: 'total_cost_usd', align: 'right', width: '84px', render: (t) => <Cost trace={t} /> },
    {
      id: 'user',
      label: 'User',
      width: '88px',
      render: (t) => (t.user_id ? <a href={filterHref('user_id', t.user_id)} title={`Traces of user ${t.user_id}`}>{t.user_id}</a> : <span class="muted">–</span>),
    },
    {
      id: 'session',
      label: 'Session',
      width: '88px',
      render: (t) => (t.session_id ? <a href={paths.session(projectId, t.session_id)} title={`Open session ${t.session_id}`}>{t.session_id}</a> : <span class="muted">–</span>),
    },
  ];
}

function TraceName({ trace }: { trace: TraceSummary }) {
  const more = trace.tags.length - MAX_TAGS;
  return (
    <span class="trace-name" title={trace.name}>
      {trace.name || <span class="muted">(unnamed)</span>}
      {trace.tags.slice(0, MAX_TAGS).map((tag) => <span key={tag} class="badge trace-tag">{tag}</span>)}
      {more > 0 && <span class="badge trace-tag" title={trace.tags.slice(MAX_TAGS).join(', ')}>+{more}</span>}
    </span>
  );
}

function Models({ models }: { models: string[] }) {
  if (models.length === 0) return <span class="muted">–</span>;
  return (
    <span title={models.join(', ')}>
      {models[0]}
      {models.length > 1 && <span class="badge trace-more">+{models.length - 1}</span>}
    </span>
  );
}

/** A trace with unpriced models costs at least this much: say so quietly. */
function Cost({ trace }: { trace: TraceSummary }) {
  if (trace.unpriced_models.length === 0) return <>{formatCost(trace.total_cost_usd)}</>;
  return (
    <span class="unpriced" title={`No price for ${trace.unpriced_models.join(', ')}: the cost leaves those calls out. Add a price in Settings → Model prices.`}>
      {formatCost(trace.total_cost_usd)}
      <sup aria-label="incomplete">*</sup>
    </span>
  );
}
