/**
 * The traces list's filters: free text, model (the project's models offered, any name allowed),
 * status, user, session and tag, all in the URL. Active filters show as chips that remove themselves.
 */
import { useEffect } from 'preact/hooks';
import { get } from '../../api/client.ts';
import { rangeFromQuery } from '../../state/time-range.ts';
import { useResource } from '../../state/use-resource.ts';
import { useUrlQuery } from '../../state/url-query.ts';
import { FilterInput } from './filter-input.tsx';
import { activeFilters, clearFiltersPatch, type FilterKey } from './trace-query.ts';

const STATUS_LABELS: Record<string, string> = { ok: 'OK', error: 'Error', unset: 'Unset' };

export function TraceFilters({ projectId }: { projectId: string }) {
  const { query, setQuery } = useUrlQuery();
  // Any filter change starts again at the first page (a cursor belongs to its filters).
  const set = (key: FilterKey, value: string) => setQuery({ [key]: value, cursor: null, back: null });
  const models = useProjectModels(projectId, query);
  useSlashToSearch();

  return (
    <div class="trace-filters">
      <div class="toolbar trace-filter-inputs">
        <FilterInput type="search" class="trace-search" label="Search" placeholder="Search name, input or output   /" value={query.q ?? ''} debounceMs={350} onCommit={(v) => set('q', v)} />
        <FilterInput label="Model" value={query.model ?? ''} list="trace-models" onCommit={(v) => set('model', v)} />
        <datalist id="trace-models">
          {models.map((m) => <option key={m} value={m} />)}
        </datalist>
        <select aria-label="Status" value={query.status ?? ''} onChange={(e) => set('status', e.currentTarget.value)}>
          <option value="">Any status</option>
          {Object.entries(STATUS_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
        <FilterInput label="User" value={query.user_id ?? ''} onCommit={(v) => set('user_id', v)} />
        <FilterInput label="Session" value={query.session_id ?? ''} onCommit={(v) => set('session_id', v)} />
        <FilterInput label="Tag" value={query.tag ?? ''} class="trace-tag-input" onCommit={(v) => set('tag', v)} />
      </div>
      <FilterChips />
    </div>
  );
}

export function FilterChips() {
  const { query, setQuery } = useUrlQuery();
  const active = activeFilters(query);
  if (active.length === 0) return null;
  return (
    <ul class="filter-chips" aria-label="Active filters">
      {active.map((f) => (
        <li key={f.key} class="filter-chip">
          <span class="muted">{f.label}:</span> <span class="filter-chip-value">{f.key === 'status' ? STATUS_LABELS[f.value] ?? f.value : f.value}</span>
          <button type="button" aria-label={`Remove filter ${f.label}`} title="Remove this filter" onClick={() => setQuery({ [f.key]: null, cursor: null, back: null })}>×</button>
        </li>
      ))}
      {active.length > 1 && (
        <li>
          <button type="button" class="link-button" onClick={() => setQuery(clearFiltersPatch())}>Clear all</button>
        </li>
      )}
    </ul>
  );
}

/** Model names seen in the range, for suggestions; a failure just means no suggestions. */
function useProjectModels(projectId: string, query: Record<string, string>): string[] {
  const key = JSON.stringify([projectId, query.range, query.from, query.to]);
  const models = useResource(async (signal) => {
    const range = rangeFromQuery(query);
    const answer = await get<{ data: { model: string }[] }>('/api/v1/metrics/models', { from: range.from, to: range.to }, signal);
    return [...new Set(answer.data.map((row) => row.model).filter(Boolean))].sort();
  }, key);
  return models.data ?? [];
}

/** `/` jumps to the search field, as in most list views. */
function useSlashToSearch(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      if ((event.target as HTMLElement).closest?.('input, textarea, select, [contenteditable]')) return;
      event.preventDefault();
      document.querySelector<HTMLInputElement>('.trace-search')?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
