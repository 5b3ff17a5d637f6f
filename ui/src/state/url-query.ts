/**
 * Filters, ranges and selections live in the URL query, so every view is a deep link: copying the
 * address bar reopens the same trace, filters and range.
 */
import { useLocation } from 'preact-iso';

export type QueryPatch = Record<string, string | null | undefined>;

export function useUrlQuery(): { query: Record<string, string>; setQuery: (patch: QueryPatch, options?: { push?: boolean }) => void } {
  const location = useLocation();
  const setQuery = (patch: QueryPatch, options: { push?: boolean } = {}) => {
    const params = new URLSearchParams(location.query);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || value === undefined || value === '') params.delete(key);
      else params.set(key, value);
    }
    const text = params.toString();
    location.route(`${location.path}${text ? `?${text}` : ''}`, !options.push);
  };
  return { query: location.query, setQuery };
}
