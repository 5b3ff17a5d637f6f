/** How long the project keeps its traces (`retention_days`), and what a change does to stored data. */
import { useState } from 'preact/hooks';
import { patch } from '../../api/client.ts';
import type { Project } from '../../api/types.ts';
import { projectById, projects } from '../../state/session.ts';
import { useAction } from '../../state/use-action.ts';
import type { SectionProps } from './settings-types.ts';

export function RetentionSection({ projectId, canManage }: SectionProps) {
  const project = projectById.value.get(projectId)!;
  const [days, setDays] = useState(String(project.retention_days));
  const save = useAction(async () => {
    const updated = await patch<Project>(`/api/v1/projects/${projectId}`, { retention_days: Number(days) });
    // The project list is the app's copy of projects: keep it in step without a reload.
    projects.value = projects.value.map((p) => (p.id === projectId ? { ...p, retention_days: updated.retention_days } : p));
    setDays(String(updated.retention_days));
  });

  return (
    <>
      <div>
        <h2>Retention</h2>
        <p class="section-intro">
          Traces older than the retention, counted from their <strong>start time</strong>, are removed with their sessions and spans from both stores by a sweep that runs
          every hour by default (<code>OBSERVA_RETENTION_SWEEP_MINUTES</code>). A shorter retention reaches data already stored at the next sweep; a longer one keeps new
          arrivals longer, while spans stored earlier still expire by the retention they had when they arrived.
        </p>
      </div>
      <form class="panel panel-body settings-form" onSubmit={(event) => { event.preventDefault(); void save.run(); }} aria-label="Retention">
        <div class="form-row">
          <label>
            Keep traces for (days)
            <input type="number" min={1} max={3650} step={1} required disabled={!canManage} value={days} onInput={(e) => { save.reset(); setDays((e.target as HTMLInputElement).value); }} />
          </label>
          {canManage && <button type="submit" class="primary" disabled={save.busy || days === String(project.retention_days)}>{save.busy ? 'Saving…' : 'Save'}</button>}
        </div>
        <p class="small muted" style={{ margin: 0 }}>From 1 to 3650 days. Currently {project.retention_days} days.</p>
        {!canManage && <p class="small muted" style={{ margin: 0 }}>Only owners and admins can change the retention.</p>}
        {save.error && <p class="form-error" role="alert">{save.error}</p>}
        {save.done && <p class="form-saved" role="status">Saved. The next sweep applies it.</p>}
      </form>
    </>
  );
}
