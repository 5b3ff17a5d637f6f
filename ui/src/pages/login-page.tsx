/** Sign in with e-mail and password; then back to the page that asked for it. */
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { signIn } from '../state/session.ts';

export function LoginPage() {
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      const next = location.query.next;
      // Only same-site paths: a crafted ?next= must not send the user elsewhere.
      location.route(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', true);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
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
