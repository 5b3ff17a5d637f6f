/**
 * What an empty project shows instead of a blank table: how to send the first trace, with this
 * collector's address and, for owners and admins, a fresh ingest key filled into the snippets.
 */
import { useMemo, useState } from 'preact/hooks';
import { post } from '../api/client.ts';
import { projectById, roleIn } from '../state/session.ts';
import { paths } from '../routes.ts';
import { useAction } from '../state/use-action.ts';
import { SecretValue } from './secret-value.tsx';
import { SetupSnippets, randomHex } from './setup-snippets.tsx';
import './onboarding.css';

export function Onboarding({ projectId }: { projectId: string }) {
  const project = projectById.value.get(projectId);
  const role = project ? roleIn(project.tenant_id) ?? project.role ?? null : null;
  const canCreateKey = role === 'owner' || role === 'admin';
  const [key, setKey] = useState<string | null>(null);
  const ids = useMemo(() => ({ traceId: randomHex(16), spanId: randomHex(8) }), []);
  const createKey = useAction(async () => {
    const created = await post<{ key: string }>(`/api/v1/projects/${projectId}/api-keys`, { name: 'First ingest key', scopes: ['ingest'] });
    setKey(created.key);
  });

  return (
    <section class="panel panel-body onboarding" aria-label="Send your first trace">
      <h2 style={{ marginTop: 0 }}>Send your first trace</h2>
      <p class="muted">
        This project has no traces yet. Point your app at this collector, <code>{location.origin}</code>, with an API key that has the <code>ingest</code> scope.
      </p>
      {canCreateKey ? (
        key ? (
          <div class="onboarding-key" role="region" aria-label="New ingest key">
            <strong>Your new ingest key</strong> (shown only now; it is filled into the snippets below):
            <SecretValue value={key} copyLabel="Copy key" testId="new-api-key" />
          </div>
        ) : (
          <p>
            <button type="button" class="primary" disabled={createKey.busy} onClick={() => void createKey.run()}>{createKey.busy ? 'Creating…' : 'Create an ingest key'}</button>{' '}
            <span class="small muted">or manage keys in <a href={paths.settings(projectId, 'keys')}>Settings → API keys</a>.</span>
          </p>
        )
      ) : (
        <p class="small">Ask an owner or admin of your team for an API key with the <code>ingest</code> scope, and put it where the snippets say <code>&lt;your API key&gt;</code>.</p>
      )}
      {createKey.error && <p class="form-error" role="alert">{createKey.error}</p>}
      <SetupSnippets endpoint={location.origin} apiKey={key} projectId={projectId} {...ids} />
      <p class="muted small onboarding-waiting"><span class="spinner" aria-hidden="true" /> Waiting for the first trace… this page updates when it arrives.</p>
    </section>
  );
}
