/** What lower roles see where only owners and admins may act: a note, not a button that fails. */
import type { Role } from '../../api/types.ts';

export function AdminOnly({ what, role }: { what: string; role: Role | null }) {
  return (
    <div class="admin-only" role="note">
      Only owners and admins can {what}. You are {role ? `a ${role}` : 'not a member'} of this team; ask an owner or admin.
    </div>
  );
}
