/**
 * The team's members and roles, and invitations. Everyone sees the members; owners and admins change
 * roles, remove members and invite. The server's rules (only owners touch owners, the last owner stays)
 * are mirrored in what is offered, and its refusals are shown as they come.
 */
import { del, get, patch } from '../../api/client.ts';
import type { Role } from '../../api/types.ts';
import { DataTable, type Column } from '../../components/data-table.tsx';
import { ErrorState, Loading } from '../../components/states.tsx';
import { useAction } from '../../state/use-action.ts';
import { useResource } from '../../state/use-resource.ts';
import { me } from '../../state/session.ts';
import { formatTime } from '../../format.ts';
import { AdminOnly } from './admin-only.tsx';
import { ConfirmButton } from './confirm-button.tsx';
import { InvitationsPanel } from './invitations-panel.tsx';
import type { Member, SectionProps } from './settings-types.ts';

export const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer'];

/** Roles the caller may hand out: owners any, admins all but owner. */
export function grantableRoles(myRole: Role | null): Role[] {
  return myRole === 'owner' ? ROLES : myRole === 'admin' ? ROLES.slice(1) : [];
}

export function MembersSection({ tenantId, canManage, role }: SectionProps) {
  const members = useResource((signal) => get<{ data: Member[] }>(`/api/v1/tenants/${tenantId}/members`, {}, signal), tenantId);
  const myId = me.value?.user.id;
  const grantable = grantableRoles(role);
  // A refused change is read back too, so the role shown is the stored one.
  const act = useAction(async (action: () => Promise<unknown>) => {
    try {
      await action();
    } finally {
      members.reload();
    }
  });

  // Admins may not touch owners; nobody changes their own role here.
  const mayChange = (m: Member) => canManage && m.user_id !== myId && (role === 'owner' || m.role !== 'owner');

  const columns: Column<Member>[] = [
    { id: 'email', label: 'E-mail', render: (m) => <>{m.email}{m.user_id === myId && <span class="badge">you</span>}</> },
    { id: 'name', label: 'Name', render: (m) => m.name ?? '–' },
    {
      id: 'role',
      label: 'Role',
      render: (m) =>
        mayChange(m) ? (
          <select aria-label={`Role of ${m.email}`} disabled={act.busy} value={m.role} onChange={(e) => void act.run(() => patch(`/api/v1/tenants/${tenantId}/members/${m.user_id}`, { role: (e.target as HTMLSelectElement).value }))}>
            {ROLES.filter((r) => grantable.includes(r) || r === m.role).map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        ) : (
          <span class="badge">{m.role}</span>
        ),
    },
    { id: 'joined', label: 'Joined', render: (m) => formatTime(m.joined_at) },
    {
      id: 'actions',
      label: '',
      align: 'right',
      render: (m) => mayChange(m) && <ConfirmButton label="Remove" question={`Remove ${m.email}?`} disabled={act.busy} onConfirm={() => void act.run(() => del(`/api/v1/tenants/${tenantId}/members/${m.user_id}`))} />,
    },
  ];

  return (
    <>
      <div>
        <h2>Members</h2>
        <p class="section-intro">Everyone in the team sees all its projects. Viewers read; members also add scores; admins manage keys, settings and people; owners also manage owners and delete projects.</p>
      </div>
      {!canManage && <AdminOnly what="invite people or change roles" role={role} />}
      {act.error && <p class="form-error" role="alert">{act.error}</p>}
      {members.error ? (
        <ErrorState error={members.error} retry={members.reload} />
      ) : !members.data ? (
        <Loading />
      ) : (
        <div class="table-scroll"><DataTable label="Members" columns={columns} rows={members.data.data} rowKey={(m) => m.user_id} /></div>
      )}
      {canManage && <InvitationsPanel tenantId={tenantId} grantable={grantable} />}
    </>
  );
}
