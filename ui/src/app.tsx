/**
 * The dashboard: routes by URL (every view is a deep link), behind a sign-in. Project views live under
 * `/projects/:projectId/`, so a link opens the same project for anyone who may read it.
 */
import { useEffect } from 'preact/hooks';
import { LocationProvider, Router, Route, useLocation } from 'preact-iso';
import { Layout } from './components/layout.tsx';
import { Loading } from './components/states.tsx';
import { authState, loadSession, projects } from './state/session.ts';
import { lastProject } from './state/project.ts';
import { paths } from './routes.ts';
import { LoginPage } from './pages/login-page.tsx';
import { InvitationPage } from './pages/invitation-page.tsx';
import { TracesPage } from './pages/traces-page.tsx';
import { TracePage } from './pages/trace-page.tsx';
import { SessionsPage } from './pages/sessions-page.tsx';
import { SessionPage } from './pages/session-page.tsx';
import { UsersPage } from './pages/users-page.tsx';
import { MetricsPage } from './pages/metrics-page.tsx';
import { SettingsPage } from './pages/settings/settings-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';

export function App() {
  useEffect(() => void loadSession(), []);
  return (
    <LocationProvider>
      <Router>
        <Route path="/login" component={LoginPage} />
        <Route path="/invitations/:token" component={InvitationPage} />
        {/* `/*` hands the rest of the path to the inner router; `default` catches `/` itself. */}
        <Route path="/*" component={SignedIn} />
        <Route default component={SignedIn} />
      </Router>
    </LocationProvider>
  );
}

function SignedIn() {
  const location = useLocation();
  const state = authState.value;
  useEffect(() => {
    if (state === 'signed-out') location.route(`${paths.login}?next=${encodeURIComponent(location.url)}`, true);
  }, [state]);
  if (state !== 'signed-in') return <Loading label="Signing in…" />;
  return (
    <Layout>
      <Router>
        <Route path="/" component={Home} />
        <Route path="/projects/:projectId" component={Home} />
        <Route path="/projects/:projectId/traces" component={TracesPage} />
        <Route path="/projects/:projectId/traces/:traceId" component={TracePage} />
        <Route path="/projects/:projectId/sessions" component={SessionsPage} />
        <Route path="/projects/:projectId/sessions/:sessionId" component={SessionPage} />
        <Route path="/projects/:projectId/users" component={UsersPage} />
        <Route path="/projects/:projectId/metrics" component={MetricsPage} />
        <Route path="/projects/:projectId/settings/:section" component={SettingsPage} />
        <Route default component={NotFoundPage} />
      </Router>
    </Layout>
  );
}

/** `/` opens the last project used (or the first one) on its traces. */
function Home({ projectId }: { projectId?: string }) {
  const location = useLocation();
  const list = projects.value;
  const target = [projectId, lastProject()].find((id) => id && list.some((p) => p.id === id)) ?? list[0]?.id;
  useEffect(() => {
    if (target) location.route(paths.traces(target), true);
  }, [target]);
  if (!target) return <NotFoundPage message="You are not a member of any project yet. Ask an owner of your team to invite you." />;
  return <Loading />;
}
