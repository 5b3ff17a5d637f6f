/** The models a session or trace used, as badges: the first few, then "+N" with the rest on hover. */
const SHOWN = 2;

export function ModelBadges({ models }: { models: string[] }) {
  if (models.length === 0) return <span class="muted">–</span>;
  const rest = models.slice(SHOWN);
  return (
    <span title={models.join(', ')}>
      {models.slice(0, SHOWN).map((m) => <span key={m} class="badge">{m}</span>)}
      {rest.length > 0 && <span class="badge">+{rest.length}</span>}
    </span>
  );
}
