/**
 * Project and team settings, one section per URL (`/projects/:projectId/settings/:section`), with a
 * sub-navigation. Sections get the project's tenant and whether the user may change things, so lower
 * roles see read-only views or a clear note instead of buttons that fail.
 */
import type { ComponentType } from 'preact';
import { projectById, roleIn } from '../../state/session.ts';
import { paths } from '../../routes.ts';
import type { Role } from '../../api/types.ts';
import { Empty } from '../../components/states.tsx';
import type { SectionProps } from './settings-types.ts';
import { KeysSection } from './keys-section.tsx';
import { MembersSection } from './members-section.tsx';
import { AnalyticsSection } from './analytics-section.tsx';
import { PricesSection } from './prices-section.tsx';
import { RetentionSection } from './retention-section.tsx';
import { UsageSection } from './usage-section.tsx';
import { AuditSection } from './audit-section.tsx';
import './settings.css';

const SECTIONS: { id: string; label: string; group: 'Project' | 'Team'; component: ComponentType<SectionProps> }[] = [
  { id: 'keys', label: 'API keys', group: 'Project', component: KeysSection },
  { id: 'prices', label: 'Model prices', group: 'Project', component: PricesSection },
  { id: 'retention', label: 'Retention', group: 'Project', component: RetentionSection },
  { id: 'members', label: 'Members', group: 'Team', component: MembersSection },
  { id: 'usage', label: 'Usage & quota', group: 'Team', component: UsageSection },
  { id: 'analytics', label: 'Analytics backend', group: 'Team', component: AnalyticsSection },
  { id: 'audit', label: 'Audit log', group: 'Team', component: AuditSection },
];

export function SettingsPage({ projectId, section }: { projectId: string; section: string }) {
  const project = projectById.value.get(projectId);
  if (!project) return <Empty title="Project not found">It does not exist or you are not a member of its team.</Empty>;
  const role = (roleIn(project.tenant_id) ?? project.role ?? null) as Role | null;
  const current = SECTIONS.find((s) => s.id === section);
  const Section = current?.component;

  return (
    <div class="settings">
      <div class="page-header">
        <h1>Settings</h1>
        <span class="muted small">{project.name} · your role: {role ?? 'none'}</span>
      </div>
      <div class="settings-layout">
        <nav class="settings-nav" aria-label="Settings">
          {(['Project', 'Team'] as const).map((group) => (
            <div key={group}>
              <div class="settings-nav-group">{group}</div>
              {SECTIONS.filter((s) => s.group === group).map((s) => (
                <a key={s.id} href={paths.settings(projectId, s.id)} class={s.id === section ? 'active' : ''} aria-current={s.id === section ? 'page' : undefined}>
                  {s.label}
                </a>
              ))}
            </div>
          ))}
        </nav>
        <section class="settings-body" aria-label={current?.label ?? 'Settings'}>
          {Section ? (
            <Section key={`${projectId}/${section}`} projectId={projectId} tenantId={project.tenant_id} role={role} canManage={role === 'owner' || role === 'admin'} />
          ) : (
            <Empty title="No such settings section">
              Choose one on the left, or open <a href={paths.settings(projectId)}>API keys</a>.
            </Empty>
          )}
        </section>
      </div>
    </div>
  );
}
