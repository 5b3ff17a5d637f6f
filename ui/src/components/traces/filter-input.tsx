/**
 * A text filter bound to one URL key. It commits on Enter, on leaving the field or (with `debounceMs`)
 * after a pause in typing; Escape clears it. Follows the URL when a chip or Back changes the value.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  placeholder?: string;
  debounceMs?: number;
  /** A datalist id offering suggestions (free input stays allowed). */
  list?: string;
  class?: string;
  type?: 'text' | 'search';
}

export function FilterInput({ label, value, onCommit, placeholder, debounceMs, list, class: className, type = 'text' }: Props) {
  const [draft, setDraft] = useState(value);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Keeps what is being typed (a trailing space) when the URL only caught up with it.
  useEffect(() => setDraft((current) => (current.trim() === value ? current : value)), [value]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const commit = (next: string) => {
    clearTimeout(timer.current);
    const trimmed = next.trim();
    if (trimmed !== value) onCommit(trimmed);
  };

  return (
    <input
      type={type}
      class={className}
      aria-label={label}
      placeholder={placeholder ?? label}
      list={list}
      value={draft}
      onInput={(event) => {
        const next = event.currentTarget.value;
        setDraft(next);
        clearTimeout(timer.current);
        if (debounceMs !== undefined) timer.current = setTimeout(() => commit(next), debounceMs);
      }}
      onChange={(event) => commit(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit(event.currentTarget.value);
        if (event.key === 'Escape' && event.currentTarget.value) {
          event.preventDefault();
          setDraft('');
          commit('');
        }
      }}
    />
  );
}
