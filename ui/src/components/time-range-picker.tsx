/** Choose a view's time range: a preset, or a custom from/to. Kept in the URL (see state/time-range.ts). */
import { useState } from 'preact/hooks';
import { useUrlQuery } from '../state/url-query.ts';
import { PRESETS, fromLocalInput, rangeFromQuery, toLocalInput, type PresetId } from '../state/time-range.ts';

export function TimeRangePicker({ fallback = '24h' }: { fallback?: PresetId }) {
  const { query, setQuery } = useUrlQuery();
  const range = rangeFromQuery(query, fallback);
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);

  const onPreset = (value: string) => {
    if (value === 'custom') {
      setCustom({ from: toLocalInput(range.from), to: toLocalInput(range.to) });
      return;
    }
    setCustom(null);
    setQuery({ range: value, from: null, to: null, cursor: null, back: null });
  };

  const applyCustom = (event: Event) => {
    event.preventDefault();
    if (!custom) return;
    const from = fromLocalInput(custom.from);
    const to = fromLocalInput(custom.to);
    if (!from || !to || from >= to) return;
    // A new range starts the list again at its first page.
    setQuery({ range: null, from, to, cursor: null, back: null });
    setCustom(null);
  };

  const selected = custom || range.preset === null ? 'custom' : range.preset;
  return (
    <form class="time-range" onSubmit={applyCustom}>
      <select aria-label="Time range" value={selected} onChange={(e) => onPreset((e.target as HTMLSelectElement).value)}>
        {PRESETS.map((p) => <option key={p.id} value={p.id}>{p.label}</option>)}
        <option value="custom">{range.preset === null && !custom ? `${toLocalInput(range.from).replace('T', ' ')} → ${toLocalInput(range.to).replace('T', ' ')}` : 'Custom…'}</option>
      </select>
      {custom && (
        <>
          <input type="datetime-local" aria-label="From" value={custom.from} onInput={(e) => setCustom({ ...custom, from: (e.target as HTMLInputElement).value })} />
          <input type="datetime-local" aria-label="To" value={custom.to} onInput={(e) => setCustom({ ...custom, to: (e.target as HTMLInputElement).value })} />
          <button type="submit">Apply</button>
        </>
      )}
    </form>
  );
}
