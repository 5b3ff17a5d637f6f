/** The frame around every signed-in view: navigation, the project switcher and the account menu. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { currentProjectId, rememberProject } from '../state/project.ts';
import { me, signOut } from '../state/session.ts';
import { paths } from '../routes.ts';
import { ProjectSwitcher } from './project-switcher.tsx';

const SECTIONS = [
  { id: 'traces', label: 'Traces', href: paths.traces },
  { id: 'sessions', label: 'Sessions', href: paths.sessions },
  { id: 'users', label: 'Users', href: paths.users },
  { id: 'metrics', label: 'Metrics', href: paths.metrics },
  { id: 'settings', label: 'Settings', href: (id: string) => paths.settings(id) },
];

export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const match = path.match(/^\/projects\/([^/]+)(?:\/([^/]+))?/);
  const projectId = match?.[1] ?? null;
  // The API client sends this project with every request; set it before the page below loads anything.
  if (projectId && currentProjectId.peek() !== projectId) rememberProject(projectId);
  const section = match?.[2] ?? null;
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(path);
  // After a move to another page (not a filter change, not the first load), focus goes to the page, so
  // keyboard and screen-reader users start at its top instead of on a link that is gone.
  useEffect(() => {
    if (path !== firstPath.current) main.current?.focus({ preventScroll: true });
  }, [path]);

  return (
    <div class="shell">
      <nav class="sidebar" aria-label="Main">
        <a class="brand" href="/">Observa</a>
        <ProjectSwitcher projectId={projectId} section={section} />
        {projectId && (
          <ul class="nav-list">
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <a href={s.href(projectId)} class={section === s.id ? 'active' : ''} aria-current={section === s.id ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
          </ul>
        )}
        <div class="account">
          <span class="account-email" title={me.value?.user.email}>{me.value?.user.email}</span>
          <button type="button" class="link-button" onClick={() => void signOut()}>Sign out</button>
        </div>
      </nav>
      {/* Keyed by project: switching project starts every page afresh, so no rows, drafts or a key shown
          once in one project stay on screen (or get saved) in another. */}
      <main class="content" key={projectId ?? ''} ref={main} tabIndex={-1}>{children}</main>
    </div>
  );
}
