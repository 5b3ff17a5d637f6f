/** Sign in with e-mail and password; then back to the page that asked for it. */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { signIn } from '../state/session.ts';
import { useAction } from '../state/use-action.ts';

/** Where to go after signing in: `next` when it is a path on this site, else `/` (a crafted ?next= must not send the user elsewhere). */
export function safeNext(next: string | undefined, origin: string): string {
  if (!next || !next.startsWith('/')) return '/';
  try {
    // Parsed, not prefix-checked: browsers read `//evil` and `/\evil` as other hosts.
    const url = new URL(next, origin);
    return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

export function LoginPage() {
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { run, busy, error } = useAction(async () => {
    await signIn(email, password);
    location.route(safeNext(location.query.next, window.location.origin), true);
  });

  const onSubmit = (event: Event) => {
    event.preventDefault();
    void run();
  };

  return (
    <div class="login">
      <form class="login-card" onSubmit={onSubmit}>
        <h1>Observa</h1>
        <p class="muted">Sign in to see your LLM traces.</p>
        <label>
          E-mail
          <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </label>
        {error && <p class="form-error" role="alert">{error}</p>}
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
        <p class="muted small">First start? The admin e-mail and password are printed in the collector's log (or set with OBSERVA_ADMIN_EMAIL and OBSERVA_ADMIN_PASSWORD).</p>
      </form>
    </div>
  );
}
