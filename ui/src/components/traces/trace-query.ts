/**
 * The traces list's state as the URL holds it — filters, sort, page, live — and the API query made
 * from it. Pure functions, so the page, the filter bar and the live poller agree on one reading.
 */
import type { Query } from '../../api/client.ts';
import { rangeFromQuery } from '../../state/time-range.ts';

export const PAGE_SIZE = 50;
/** Live mode prepends rows; beyond this the oldest fall off, so the table stays cheap to render. */
export const LIVE_CAP = 200;

/** The filters, in the order their chips show. */
export const FILTERS = [
  { key: 'q', label: 'Text' },
  { key: 'model', label: 'Model' },
  { key: 'status', label: 'Status' },
  { key: 'user_id', label: 'User' },
  { key: 'session_id', label: 'Session' },
  { key: 'tag', label: 'Tag' },
] as const;

export type FilterKey = (typeof FILTERS)[number]['key'];

export const SORTS = ['start_time', 'duration_ms', 'total_cost_usd', 'total_tokens'] as const;
export type SortKey = (typeof SORTS)[number];

export interface TraceSort {
  key: SortKey;
  order: 'asc' | 'desc';
}

export function sortOf(query: Record<string, string>): TraceSort {
  const key = SORTS.find((s) => s === query.sort) ?? 'start_time';
  return { key, order: query.order === 'asc' ? 'asc' : 'desc' };
}

export const isNewestFirst = (sort: TraceSort) => sort.key === 'start_time' && sort.order === 'desc';

/** The URL patch for a sort: the default leaves the URL clean; any change starts again at page one. */
export function sortPatch(sort: TraceSort): Record<string, string | null> {
  const newest = isNewestFirst(sort);
  return { sort: newest ? null : sort.key, order: newest ? null : sort.order, cursor: null, back: null };
}

export function activeFilters(query: Record<string, string>): { key: FilterKey; label: string; value: string }[] {
  return FILTERS.filter((f) => query[f.key]).map((f) => ({ ...f, value: query[f.key] }));
}

/** A URL patch that removes every filter (and the page, which belonged to them). */
export function clearFiltersPatch(): Record<string, null> {
  return Object.fromEntries([...FILTERS.map((f) => f.key), 'cursor', 'back'].map((k) => [k, null]));
}

export function pageSize(query: Record<string, string>): number {
  const limit = Number(query.limit);
  return Number.isInteger(limit) && limit >= 1 && limit <= 500 ? limit : PAGE_SIZE;
}

/** Filters and range for GET /api/v1/traces, without sort or page (the live poller adds its own). */
export function filterParams(query: Record<string, string>, now = Date.now()): Query {
  const range = rangeFromQuery(query, '24h', now);
  const params: Query = { from: range.from, to: range.to };
  for (const { key } of FILTERS) params[key] = query[key];
  return params;
}

/** The whole list query: filters, range, sort and page. */
export function listParams(query: Record<string, string>, now = Date.now()): Query {
  const sort = sortOf(query);
  return {
    ...filterParams(query, now),
    ...(isNewestFirst(sort) ? {} : { sort: sort.key, order: sort.order }),
    limit: pageSize(query),
    cursor: query.cursor,
  };
}

/** Live mode needs the newest rows at the top: newest first, first page, a range that reaches now. */
export function liveBlocker(query: Record<string, string>): string | null {
  if (!isNewestFirst(sortOf(query))) return 'Live mode shows new traces at the top: sort by time, newest first';
  if (query.cursor) return 'Live mode runs on the first page';
  if (rangeFromQuery(query).preset === null) return 'Live mode needs a range up to now: pick a preset range';
  return null;
}
