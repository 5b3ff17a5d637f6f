/**
 * The team's audit log: who did what, from where, newest first. Filters, the page cursor and the
 * expanded entry live in the URL, so a link reopens the same view.
 */
import { useState } from 'preact/hooks';
import { get } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import { CursorPager } from '../../components/cursor-pager.tsx';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { useResource } from '../../state/use-resource.ts';
import { useUrlQuery } from '../../state/url-query.ts';
import { formatTime } from '../../format.ts';
import { fromLocalInput, toLocalInput } from '../../state/time-range.ts';
import { AdminOnly } from './admin-only.tsx';
import type { AuditEntry, Member, SectionProps } from './settings-types.ts';

const ACTIONS = [
  'api_key.*', 'api_key.create', 'api_key.rotate', 'api_key.revoke', 'member.*', 'member.invite', 'member.role_change', 'member.remove',
  'invitation.*', 'invitation.accept', 'invitation.revoke', 'auth.*', 'auth.login.*', 'project.*', 'model_prices.update', 'tenant.*', 'trace.delete', 'session.delete', 'end_user.delete',
];
const FILTERS = ['action', 'actor_user_id', 'target_type', 'ip', 'from', 'to'] as const;

export function AuditSection({ tenantId, canManage, role }: SectionProps) {
  const { query, setQuery } = useUrlQuery();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, query[f] ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const key = JSON.stringify([tenantId, filters, query.cursor ?? '']);
  const log = useResource(
    (signal) => (canManage ? get<Page<AuditEntry>>('/api/v1/audit-logs', { tenant_id: tenantId, ...filters, cursor: query.cursor, limit: 50 }, signal) : Promise.resolve(null)),
    key,
  );
  const members = useResource((signal) => get<{ data: Member[] }>(`/api/v1/tenants/${tenantId}/members`, {}, signal), tenantId);
  const expanded = query.entry ?? null;

  const columns: Column<AuditEntry>[] = [
    { id: 'time', label: 'Time', render: (e) => <span title={e.created_at}>{formatTime(e.created_at)}</span> },
    { id: 'actor', label: 'Actor', render: (e) => <span class="clip actor" title={e.actor.email ?? ''}>{e.actor.email ?? (e.actor.api_key_id ? `API key ${e.actor.api_key_id.slice(0, 8)}` : <span class="muted">unknown</span>)}</span> },
    { id: 'action', label: 'Action', render: (e) => <code>{e.action}</code> },
    { id: 'target', label: 'Target', render: (e) => (e.target_type ? <span title={e.target_id ?? ''}>{e.target_type} <span class="muted mono small clip target">{e.target_id}</span></span> : '–') },
    { id: 'ip', label: 'IP', render: (e) => <span class="mono small clip ip" title={e.ip ?? ''}>{e.ip ?? '–'}</span> },
    {
      id: 'details',
      label: 'Details',
      render: (e) =>
        String(e.id) === expanded ? <pre class="audit-details">{JSON.stringify(e.details ?? {}, null, 2)}</pre> : <span class="muted small clip details">{e.details ? JSON.stringify(e.details) : '–'}</span>,
    },
  ];

  const apply = (patch: Record<string, string>) => {
    setQuery({ ...patch, cursor: null, back: null, entry: null });
  };

  return (
    <>
      <div>
        <h2>Audit log</h2>
        <p class="section-intro">Sign-ins, keys, members, invitations, settings and deletions in this team. Entries cannot be changed; they are kept 400 days by default.</p>
      </div>
      {!canManage ? (
        <AdminOnly what="read the audit log" role={role} />
      ) : (
        <>
          {/* Keyed by the URL's filters: back/forward or a link shows them in the fields, not an old draft. */}
          <AuditFilters key={JSON.stringify(filters)} filters={filters} members={members.data?.data ?? []} onApply={apply} />
          {log.error ? (
            <ErrorState error={log.error} retry={log.reload} />
          ) : !log.data ? (
            <Loading />
          ) : log.data.data.length === 0 ? (
            <Empty title="No entries">{Object.values(filters).some(Boolean) ? 'Nothing matches these filters.' : 'Nothing has been recorded yet.'}</Empty>
          ) : (
            <>
              <div class="table-scroll">
                <DataTable label="Audit log" columns={columns} rows={log.data.data} rowKey={(e) => String(e.id)} rowClass={(e) => (String(e.id) === expanded ? 'wrap' : '')}
                  onOpen={(e) => setQuery({ entry: String(e.id) === expanded ? null : String(e.id) })} />
              </div>
              <CursorPager nextCursor={log.data.next_cursor} />
            </>
          )}
        </>
      )}
    </>
  );
}

function AuditFilters({ filters, members, onApply }: { filters: Record<string, string>; members: Member[]; onApply: (patch: Record<string, string>) => void }) {
  const [draft, setDraft] = useState(filters);
  const field = (name: string) => (e: Event) => setDraft({ ...draft, [name]: (e.target as HTMLInputElement).value });
  const submit = (event: Event) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form class="toolbar" onSubmit={submit} aria-label="Audit log filters">
      <label>
        Action
        <input list="audit-actions" placeholder="api_key.* or exact" value={draft.action} onInput={field('action')} />
        <datalist id="audit-actions">{ACTIONS.map((a) => <option key={a} value={a} />)}</datalist>
      </label>
      <label>
        Actor
        <select value={draft.actor_user_id} onChange={field('actor_user_id')}>
          <option value="">anyone</option>
          {members.map((m) => <option key={m.user_id} value={m.user_id}>{m.email}</option>)}
        </select>
      </label>
      <label>
        Target type
        <input placeholder="api_key, user…" size={10} value={draft.target_type} onInput={field('target_type')} />
      </label>
      <label>
        IP
        <input size={14} value={draft.ip} onInput={field('ip')} />
      </label>
      <label>
        From
        <input type="datetime-local" value={toLocalInput(draft.from)} onInput={(e) => setDraft({ ...draft, from: fromLocalInput((e.target as HTMLInputElement).value) })} />
      </label>
      <label>
        To
        <input type="datetime-local" value={toLocalInput(draft.to)} onInput={(e) => setDraft({ ...draft, to: fromLocalInput((e.target as HTMLInputElement).value) })} />
      </label>
      <button type="submit" class="primary" style={{ alignSelf: 'flex-end' }}>Apply</button>
      <button type="button" style={{ alignSelf: 'flex-end' }} onClick={() => { const cleared = Object.fromEntries(FILTERS.map((f) => [f, ''])); setDraft(cleared); onApply(cleared); }}>Clear</button>
    </form>
  );
}
