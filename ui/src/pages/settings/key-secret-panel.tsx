/** A new key, shown once: the key with a copy button and the setup snippets filled with it. */
import { useMemo } from 'preact/hooks';
import { SecretValue } from '../../components/secret-value.tsx';
import { SetupSnippets, randomHex } from '../../components/setup-snippets.tsx';
import type { CreatedKey } from './settings-types.ts';

export function KeySecretPanel({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const ids = useMemo(() => ({ traceId: randomHex(16), spanId: randomHex(8) }), [created.id]);
  return (
    <div class="panel panel-body secret-panel" role="region" aria-label="New API key">
      <h3>{created.replaces ? 'Key rotated' : 'Key created'}: {created.name}</h3>
      <p class="small muted">
        Copy it now: this is the only time the key is shown. {created.replaces ? 'The old key no longer works.' : ''} Scopes: {created.scopes.join(', ')}.
      </p>
      <SecretValue value={created.key} copyLabel="Copy key" testId="new-api-key" />
      <SetupSnippets endpoint={location.origin} apiKey={created.key} projectId={created.project_id} {...ids} />
      <button type="button" class="primary" onClick={onDone}>I have saved the key</button>
    </div>
  );
}
