/**
 * Previous / next over a keyset-paged list, kept in the URL: `cursor` is the current page and `back`
 * the cursors of the pages before it (`~` is the first page), so a deep link can still go back.
 */
import { useUrlQuery } from '../../state/url-query.ts';

const FIRST = '~';

export function CursorPager({ nextCursor }: { nextCursor: string | null }) {
  const { query, setQuery } = useUrlQuery();
  const cursor = query.cursor ?? '';
  const back = cursor && query.back ? query.back.split('.') : [];

  const next = () => setQuery({ cursor: nextCursor, back: [...back, cursor || FIRST].join('.') }, { push: true });
  const previous = () => {
    const before = back[back.length - 1];
    setQuery({ cursor: before && before !== FIRST ? before : null, back: back.slice(0, -1).join('.') || null }, { push: true });
  };

  if (!cursor && !nextCursor) return null;
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" onClick={previous} disabled={!cursor}>← Previous</button>
      <button type="button" onClick={next} disabled={!nextCursor}>Next →</button>
    </nav>
  );
}
