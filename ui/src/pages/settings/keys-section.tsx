/**
 * The project's API keys: list (revoked ones greyed), create with scopes, rotate and revoke. A new or
 * rotated key is shown once, with setup snippets filled in.
 */
import { useState } from 'preact/hooks';
import { del, get, post } from '../../api/client.ts';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { useAction } from '../../state/use-action.ts';
import { useResource } from '../../state/use-resource.ts';
import { formatAgo, formatTime } from '../../format.ts';
import { AdminOnly } from './admin-only.tsx';
import { ConfirmButton } from './confirm-button.tsx';
import { KeySecretPanel } from './key-secret-panel.tsx';
import type { ApiKey, CreatedKey, Member, Scope, SectionProps } from './settings-types.ts';

export function KeysSection({ projectId, tenantId, canManage, role }: SectionProps) {
  const keys = useResource(
    async (signal) => {
      if (!canManage) return null;
      const [list, members] = await Promise.all([
        get<{ data: ApiKey[] }>(`/api/v1/projects/${projectId}/api-keys`, {}, signal),
        get<{ data: Member[] }>(`/api/v1/tenants/${tenantId}/members`, {}, signal).catch(() => ({ data: [] as Member[] })),
      ]);
      return { list: list.data, emails: new Map(members.data.map((m) => [m.user_id, m.email])) };
    },
    projectId,
  );
  const [created, setCreated] = useState<CreatedKey | null>(null);
  // Create, rotate and revoke: a new or rotated key is shown once, then the list is read again.
  const act = useAction(async (action: () => Promise<CreatedKey | null>) => {
    const result = await action();
    if (result) setCreated(result);
    keys.reload();
    return true;
  });

  const columns: Column<ApiKey>[] = [
    { id: 'name', label: 'Name', render: (k) => <strong>{k.name}</strong> },
    { id: 'prefix', label: 'Key', render: (k) => <code>…{k.prefix}</code> },
    { id: 'scopes', label: 'Scopes', render: (k) => k.scopes.map((s) => <span class="badge" key={s}>{s}</span>) },
    { id: 'created', label: 'Created', render: (k) => <span title={formatTime(k.created_at)}>{formatAgo(k.created_at)}</span> },
    { id: 'by', label: 'Created by', render: (k) => (k.created_by ? keys.data?.emails.get(k.created_by) ?? 'a former member' : '–') },
    { id: 'used', label: 'Last used', render: (k) => (k.last_used_at ? <span title={k.last_used_at}>{formatAgo(k.last_used_at)}</span> : 'never') },
    { id: 'status', label: 'Status', render: (k) => (k.active ? <span class="status-ok">active</span> : <span title={k.revoked_at ?? ''}>revoked {formatAgo(k.revoked_at)}</span>) },
    {
      id: 'actions',
      label: '',
      align: 'right',
      render: (k) =>
        k.active && (
          <span class="row-actions">
            <ConfirmButton label="Rotate" disabled={act.busy} question="New key, this one stops working?" onConfirm={() => void act.run(() => post<CreatedKey>(`/api/v1/projects/${projectId}/api-keys/${k.id}/rotate`))} />
            <ConfirmButton label="Revoke" disabled={act.busy} question="Stop accepting this key?" onConfirm={() => void act.run(() => del(`/api/v1/projects/${projectId}/api-keys/${k.id}`).then(() => null))} />
          </span>
        ),
    },
  ];

  return (
    <>
      <div>
        <h2>API keys</h2>
        <p class="section-intro">Keys let apps send traces (<code>ingest</code>) and read them through the API (<code>read</code>). Each key belongs to this project.</p>
      </div>
      {!canManage ? (
        <AdminOnly what="see and manage API keys" role={role} />
      ) : (
        <>
          {created ? (
            <KeySecretPanel created={created} onDone={() => setCreated(null)} />
          ) : (
            <CreateKeyForm busy={act.busy} onCreate={async (name, scopes) => (await act.run(() => post<CreatedKey>(`/api/v1/projects/${projectId}/api-keys`, { name, scopes }))) === true} />
          )}
          {act.error && <p class="form-error" role="alert">{act.error}</p>}
          {keys.error ? (
            <ErrorState error={keys.error} retry={keys.reload} />
          ) : !keys.data ? (
            <Loading />
          ) : keys.data.list.length === 0 ? (
            <Empty title="No API keys yet">Create one above to start sending traces.</Empty>
          ) : (
            <div class="table-scroll">
              <DataTable label="API keys" columns={columns} rows={keys.data.list} rowKey={(k) => k.id} rowClass={(k) => (k.active ? '' : 'revoked')} />
            </div>
          )}
        </>
      )}
    </>
  );
}

function CreateKeyForm({ busy, onCreate }: { busy: boolean; onCreate: (name: string, scopes: Scope[]) => Promise<boolean> }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<Scope>>(new Set(['ingest']));
  const toggle = (scope: Scope) => {
    const next = new Set(scopes);
    if (next.has(scope)) next.delete(scope);
    else next.add(scope);
    setScopes(next);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await onCreate(name.trim(), [...scopes])) setName('');
  };
  return (
    <form class="panel panel-body form-row" onSubmit={submit} aria-label="Create an API key">
      <label>
        Key name
        <input required maxLength={200} placeholder="e.g. production backend" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <fieldset class="scopes">
        <legend class="small muted">Scopes</legend>
        {(['ingest', 'read'] as const).map((scope) => (
          <label class="inline" key={scope}>
            <input type="checkbox" checked={scopes.has(scope)} onChange={() => toggle(scope)} />
            {scope === 'ingest' ? 'ingest (send traces)' : 'read (query the API)'}
          </label>
        ))}
      </fieldset>
      <button type="submit" class="primary" disabled={busy || scopes.size === 0 || name.trim() === ''}>{busy ? 'Creating…' : 'Create key'}</button>
    </form>
  );
}
