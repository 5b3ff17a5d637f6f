/** Invite by e-mail and role: the answer holds a one-time accept link to send; pending invitations can be revoked. */
import { useState } from 'preact/hooks';
import { del, get, post } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';
import { SecretValue } from '../../components/secret-value.tsx';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { Empty, ErrorState, Loading } from '../../components/states.tsx';
import { useAction } from '../../state/use-action.ts';
import { useResource } from '../../state/use-resource.ts';
import { formatAgo, formatTime } from '../../format.ts';
import { ConfirmButton } from './confirm-button.tsx';
import type { CreatedInvitation, Invitation } from './settings-types.ts';

export function InvitationsPanel({ tenantId, grantable }: { tenantId: string; grantable: Role[] }) {
  const pending = useResource((signal) => get<{ data: Invitation[] }>(`/api/v1/tenants/${tenantId}/invitations`, {}, signal), tenantId);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [sent, setSent] = useState<CreatedInvitation | null>(null);
  const invite = useAction(async () => {
    setSent(await post<CreatedInvitation>(`/api/v1/tenants/${tenantId}/invitations`, { email: email.trim(), role }));
    setEmail('');
    pending.reload();
  });
  const revoke = useAction(async (id: string) => {
    try {
      await del(`/api/v1/tenants/${tenantId}/invitations/${id}`);
    } finally {
      pending.reload();
    }
  });
  const error = invite.error ?? revoke.error;

  const columns: Column<Invitation>[] = [
    { id: 'email', label: 'E-mail', render: (i) => i.email },
    { id: 'role', label: 'Role', render: (i) => <span class="badge">{i.role}</span> },
    { id: 'by', label: 'Invited by', render: (i) => i.invited_by_email ?? '–' },
    { id: 'created', label: 'Sent', render: (i) => formatAgo(i.created_at) },
    { id: 'expires', label: 'Expires', render: (i) => formatTime(i.expires_at) },
    { id: 'actions', label: '', align: 'right', render: (i) => <ConfirmButton label="Revoke" disabled={revoke.busy} question="Cancel this invitation?" onConfirm={() => void revoke.run(i.id)} /> },
  ];

  return (
    <>
      <h3>Invite someone</h3>
      <form class="panel panel-body form-row" onSubmit={(event) => { event.preventDefault(); void invite.run(); }} aria-label="Invite a member">
        <label>
          E-mail
          <input type="email" required placeholder="ada@example.com" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
            {grantable.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit" class="primary" disabled={invite.busy}>{invite.busy ? 'Inviting…' : 'Create invitation'}</button>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      {sent && (
        <div class="panel panel-body secret-panel" role="region" aria-label="Invitation link">
          <p class="small">
            Send this link to <strong>{sent.email}</strong> (joins as {sent.role}). It works once, until {formatTime(sent.expires_at)}, and is not shown again.
          </p>
          <SecretValue value={sent.accept_url} copyLabel="Copy link" testId="invitation-link" />
          <button type="button" onClick={() => setSent(null)}>Done</button>
        </div>
      )}
      <h3>Pending invitations</h3>
      {pending.error ? (
        <ErrorState error={pending.error} retry={pending.reload} />
      ) : !pending.data ? (
        <Loading />
      ) : pending.data.data.length === 0 ? (
        <Empty title="No pending invitations" />
      ) : (
        <div class="table-scroll"><DataTable label="Pending invitations" columns={columns} rows={pending.data.data} rowKey={(i) => i.id} /></div>
      )}
    </>
  );
}
