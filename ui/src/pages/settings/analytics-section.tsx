/**
 * The team's analytics backend: the deployment's store, or the team's own Tinybird workspace. Tokens
 * never come back in clear; a blank token field keeps the stored one.
 */
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../../api/client.ts';
import { ErrorState, Loading } from '../../components/states.tsx';
import { useAction } from '../../state/use-action.ts';
import { useResource } from '../../state/use-resource.ts';
import { formatTime } from '../../format.ts';
import { AdminOnly } from './admin-only.tsx';
import type { AnalyticsSettings, MaskedToken, SectionProps } from './settings-types.ts';

type Fields = { host: string; workspace_id: string; append_token: string; admin_token: string };

export function AnalyticsSection({ tenantId, canManage, role }: SectionProps) {
  const settings = useResource((signal) => (canManage ? get<AnalyticsSettings>(`/api/v1/tenants/${tenantId}/analytics`, {}, signal) : Promise.resolve(null)), tenantId);
  const backend = useResource((signal) => get<{ analytics_backend: string }>('/healthz', {}, signal), 'healthz');

  return (
    <>
      <div>
        <h2>Analytics backend</h2>
        <p class="section-intro">
          Spans are stored in the deployment's analytics store: embedded chDB, or Tinybird when the collector runs with{' '}
          <code>OBSERVA_ANALYTICS=tinybird</code>. With Tinybird, a team can write to its own workspace instead of the deployment's.
        </p>
        {backend.data && (
          <p class="small">
            This deployment uses <strong>{backend.data.analytics_backend === 'tinybird' ? 'Tinybird' : 'the embedded store (chDB)'}</strong>
            {backend.data.analytics_backend !== 'tinybird' && ': team settings below are stored but not used.'}
          </p>
        )}
      </div>
      {!canManage ? (
        <AdminOnly what="see or change the analytics backend" role={role} />
      ) : settings.error ? (
        <ErrorState error={settings.error} retry={settings.reload} />
      ) : !settings.data ? (
        <Loading />
      ) : (
        <AnalyticsForm tenantId={tenantId} current={settings.data} onSaved={settings.reload} />
      )}
    </>
  );
}

function maskedLabel(token: MaskedToken, source: AnalyticsSettings['source']): string {
  if (!token.set) return 'not set';
  if (source === 'default') return 'deployment default';
  return token.last4 ? `set, ends in …${token.last4}` : 'set';
}

function AnalyticsForm({ tenantId, current, onSaved }: { tenantId: string; current: AnalyticsSettings; onSaved: () => void }) {
  const initial = (): Fields => ({ host: current.host ?? '', workspace_id: current.workspace_id ?? '', append_token: '', admin_token: '' });
  const [fields, setFields] = useState<Fields>(initial);
  const save = useAction(async (body: Partial<Fields>) => {
    await put(`/api/v1/tenants/${tenantId}/analytics`, body);
    onSaved();
  });
  useEffect(() => setFields(initial()), [current]);

  const set = (name: keyof Fields) => (e: Event) => {
    save.reset();
    setFields({ ...fields, [name]: (e.target as HTMLInputElement).value });
  };

  const submit = (event: Event) => {
    event.preventDefault();
    // Only what changed: blank token fields keep the stored tokens.
    const body: Partial<Fields> = {};
    if (fields.host.trim() !== (current.host ?? '')) body.host = fields.host.trim();
    if (fields.workspace_id.trim() !== (current.workspace_id ?? '')) body.workspace_id = fields.workspace_id.trim();
    if (fields.append_token.trim()) body.append_token = fields.append_token.trim();
    if (fields.admin_token.trim()) body.admin_token = fields.admin_token.trim();
    if (Object.keys(body).length === 0) save.reset('Nothing changed.');
    else void save.run(body);
  };

  return (
    <form class="panel panel-body settings-form" onSubmit={submit} aria-label="Tinybird settings">
      <p class="small muted" style={{ margin: 0 }}>
        {current.source === 'tenant' ? `This team uses its own Tinybird workspace (saved ${formatTime(current.updated_at)}).` : 'This team uses the deployment default. The first save needs all four fields.'}
      </p>
      <label>
        Tinybird host
        <input type="url" placeholder="https://api.tinybird.co" value={fields.host} onInput={set('host')} />
      </label>
      <label>
        Workspace id
        <input value={fields.workspace_id} onInput={set('workspace_id')} />
      </label>
      <label>
        Append token (DATASOURCES:APPEND on events) · {maskedLabel(current.append_token, current.source)}
        <input type="password" autoComplete="off" placeholder="leave blank to keep" value={fields.append_token} onInput={set('append_token')} />
      </label>
      <label>
        Admin token (signs read tokens) · {maskedLabel(current.admin_token, current.source)}
        <input type="password" autoComplete="off" placeholder="leave blank to keep" value={fields.admin_token} onInput={set('admin_token')} />
      </label>
      {save.error && <p class="form-error" role="alert">{save.error}</p>}
      {save.done && <p class="form-saved" role="status">Saved. Appends and reads use it within 5 seconds.</p>}
      <div><button type="submit" class="primary" disabled={save.busy}>{save.busy ? 'Saving…' : 'Save'}</button></div>
    </form>
  );
}
