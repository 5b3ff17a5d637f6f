/**
 * The page an invitation link opens (`/invitations/:token`), signed in or not: it says which team and
 * role the link offers, then joins with the signed-in account, sends an existing account to sign in
 * first, or creates the account. Then the dashboard opens on the team's projects.
 */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ApiError, get, post } from '../api/client.ts';
import type { Role } from '../api/types.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { useAction } from '../state/use-action.ts';
import { useResource } from '../state/use-resource.ts';
import { authState, loadSession, me, signOut } from '../state/session.ts';
import { formatTime } from '../format.ts';
import { paths } from '../routes.ts';
import './invitation-page.css';

interface InvitationView {
  tenant_name: string;
  email: string;
  role: Role;
  expires_at: string;
  account_exists: boolean;
}

const MIN_PASSWORD = 12;

export function InvitationPage({ token }: { token: string }) {
  const invitation = useResource((signal) => get<InvitationView>(`/api/v1/invitations/${encodeURIComponent(token)}`, {}, signal), token);
  const state = authState.value;

  let body;
  if (invitation.error instanceof ApiError && invitation.error.status === 404) {
    body = (
      <>
        <p class="form-error" role="alert">This invitation link no longer works.</p>
        <p class="muted small">It may have been used, revoked or have expired. Ask whoever invited you for a new one.</p>
        <a href={paths.login}>Go to sign in</a>
      </>
    );
  } else if (invitation.error) {
    body = <ErrorState error={invitation.error} retry={invitation.reload} />;
  } else if (!invitation.data || state === 'unknown') {
    body = <Loading label="Opening the invitation…" />;
  } else {
    const view = invitation.data;
    const signedInAs = state === 'signed-in' ? me.value?.user.email ?? null : null;
    body = (
      <>
        <p>
          You are invited to join <strong>{view.tenant_name}</strong> as <strong>{view.role}</strong>.
        </p>
        <p class="muted small">For {view.email}; the link works once, until {formatTime(view.expires_at)}.</p>
        {signedInAs ? (
          signedInAs.toLowerCase() === view.email ? (
            <AcceptForm token={token} />
          ) : (
            <WrongAccount signedInAs={signedInAs} invited={view.email} />
          )
        ) : view.account_exists ? (
          <a class="invitation-signin" href={`${paths.login}?next=${encodeURIComponent(paths.invitation(token))}`}>Sign in as {view.email} to accept</a>
        ) : (
          <AcceptForm token={token} newAccount />
        )}
      </>
    );
  }

  return (
    <div class="login">
      <div class="login-card">
        <h1>Join a team on Observa</h1>
        {body}
      </div>
    </div>
  );
}

/** Joins with the signed-in account, or creates one (name and password) with the invited e-mail. */
function AcceptForm({ token, newAccount = false }: { token: string; newAccount?: boolean }) {
  const location = useLocation();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const { run, busy, error } = useAction(async () => {
    await post(`/api/v1/invitations/${encodeURIComponent(token)}/accept`, newAccount ? { name: name.trim(), password } : {});
    await loadSession();
    location.route('/', true);
  });

  return (
    <form class="invitation-form" onSubmit={(event) => { event.preventDefault(); void run(); }}>
      {newAccount && (
        <>
          <p class="small muted">Create your account to accept.</p>
          <label>
            Your name
            <input name="name" autoComplete="name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <label>
            Password (at least {MIN_PASSWORD} characters)
            <input type="password" name="password" autoComplete="new-password" required minLength={MIN_PASSWORD} maxLength={1024} value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </label>
        </>
      )}
      {error && <p class="form-error" role="alert">{error}</p>}
      <button type="submit" class="primary" disabled={busy}>{busy ? 'Joining…' : newAccount ? 'Create account and join' : 'Accept invitation'}</button>
    </form>
  );
}

function WrongAccount({ signedInAs, invited }: { signedInAs: string; invited: string }) {
  return (
    <>
      <p class="form-error" role="alert">
        You are signed in as {signedInAs}, but this invitation is for {invited}.
      </p>
      <button type="button" onClick={() => void signOut()}>Sign out to continue as {invited}</button>
    </>
  );
}
