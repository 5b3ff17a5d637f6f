/** Switches project and stays on the same kind of view (traces stay traces; a detail goes to its list). */
import { useLocation } from 'preact-iso';
import { projects } from '../state/session.ts';
import { me } from '../state/session.ts';

export function ProjectSwitcher({ projectId, section }: { projectId: string | null; section: string | null }) {
  const location = useLocation();
  const tenants = me.value?.tenants ?? [];
  const list = projects.value;
  const onChange = (id: string) => {
    const keep = section === 'settings' ? 'settings/keys' : section ?? 'traces';
    location.route(`/projects/${id}/${keep}`);
  };
  return (
    <label class="project-switcher">
      <span class="label">Project</span>
      <select value={projectId ?? ''} onChange={(e) => onChange((e.target as HTMLSelectElement).value)} aria-label="Project">
        {projectId === null && <option value="">Choose a project</option>}
        {tenants.map((tenant) => (
          <optgroup key={tenant.id} label={tenant.name}>
            {list.filter((p) => p.tenant_id === tenant.id).map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </optgroup>
        ))}
      </select>
    </label>
  );
}
