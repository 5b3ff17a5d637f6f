/**
 * Previous / next over a keyset-paged list (traces, sessions, audit log), kept in the URL: `cursor` is the current page and `back`
 * the cursors of the pages before it (`~` the first page), so a link reopens the page and can still go back.
 */
import { useUrlQuery } from '../state/url-query.ts';

const FIRST = '~';

export function CursorPager({ nextCursor }: { nextCursor: string | null }) {
  const { query, setQuery } = useUrlQuery();
  const cursor = query.cursor ?? '';
  const back = cursor && query.back ? query.back.split('.') : [];
  if (!cursor && !nextCursor) return null;

  const next = () => setQuery({ cursor: nextCursor, back: [...back, cursor || FIRST].join('.') }, { push: true });
  const previous = () => {
    const before = back[back.length - 1];
    setQuery({ cursor: before && before !== FIRST ? before : null, back: back.slice(0, -1).join('.') || null }, { push: true });
  };

  return (
    <nav class="pager" aria-label="Pages">
      {cursor && <button type="button" class="link-button" onClick={() => setQuery({ cursor: null, back: null }, { push: true })}>First page</button>}
      {(!cursor || back.length > 0) && <span class="muted small">Page {back.length + 1}</span>}
      <button type="button" onClick={previous} disabled={!cursor}>← Previous page</button>
      <button type="button" onClick={next} disabled={!nextCursor}>Next page →</button>
    </nav>
  );
}
