/**
 * Filters, ranges and selections live in the URL query, so every view is a deep link: copying the
 * address bar reopens the same trace, filters and range.
 */
import { useLocation } from 'preact-iso';

export type QueryPatch = Record<string, string | null | undefined>;

export function useUrlQuery(): { query: Record<string, string>; setQuery: (patch: QueryPatch, options?: { push?: boolean }) => void } {
  const location = useLocation();
  const setQuery = (patch: QueryPatch, options: { push?: boolean } = {}) => {
    // The address bar as it is now, not as it was at render: a debounced or late call (a search typed
    // just before a status change) must not undo what changed in between.
    const params = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || value === undefined || value === '') params.delete(key);
      else params.set(key, value);
    }
    const text = params.toString();
    location.route(`${window.location.pathname}${text ? `?${text}` : ''}`, !options.push);
  };
  return { query: location.query, setQuery };
}
