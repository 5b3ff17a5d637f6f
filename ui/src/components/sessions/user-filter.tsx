/** A user id filter: applied on Enter or when the field loses focus, cleared with ×. */
import { useEffect, useState } from 'preact/hooks';

export function UserFilter({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const apply = (event?: Event) => {
    event?.preventDefault();
    if (draft.trim() !== value) onChange(draft.trim());
  };
  return (
    <form class="user-filter" onSubmit={apply}>
      <input type="search" aria-label="User" placeholder="User id" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} onBlur={() => apply()} />
      {value && <button type="button" class="link-button" aria-label="Clear user filter" onClick={() => onChange('')}>×</button>}
    </form>
  );
}
