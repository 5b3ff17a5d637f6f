/**
 * One page of a list in a stable order — (sort value, id), ascending or descending — continuing after
 * a cursor. The cursor is opaque to clients: base64url JSON of [ordering name, last value, last id].
 * It names its ordering, so a cursor made for one sort is refused under another instead of skipping rows.
 */
import type { Knex } from 'knex';
import { badRequest } from '../http-error.ts';

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface SortKey {
  /** Names the ordering in the cursor (e.g. `total_cost_usd:asc`). */
  name: string;
  /** The sort value: a column or SQL over the row's columns. Must not be null. */
  value: string;
  /** How the value compares again: its Postgres text kept in the cursor is exact for both types. */
  type: 'timestamptz' | 'numeric' | 'bigint';
  order: 'asc' | 'desc';
  /** The tie-breaker: a unique column. */
  id: string;
}

/** The common ordering: newest first by a time column. */
export function newestFirst(time: string, id: string): SortKey {
  return { name: `${time}:desc`, value: time, type: 'timestamptz', order: 'desc', id };
}

const VALUE_SHAPE: Record<SortKey['type'], RegExp> = {
  timestamptz: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/,
  numeric: /^-?\d+(\.\d+)?$/,
  bigint: /^-?\d{1,19}$/,
};

export async function keysetPage<T>(
  query: Knex.QueryBuilder,
  sort: SortKey,
  limit: number,
  rawCursor: unknown,
  toJson: (row: Record<string, any>) => T,
): Promise<Page<T>> {
  const cursor = decodeCursor(rawCursor, sort);
  // The value as Postgres text: timestamps keep their microseconds, numerics every digit.
  query.select(query.client.raw(`(${sort.value})::text AS keyset_value`));
  if (cursor) query.whereRaw(`((${sort.value}), ${sort.id}) ${sort.order === 'desc' ? '<' : '>'} (?::${sort.type}, ?)`, [cursor.value, cursor.id]);
  const rows = await query.orderByRaw(`(${sort.value}) ${sort.order}, ${sort.id} ${sort.order}`).limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toJson),
    next_cursor: rows.length > limit ? encodeCursor(sort, last.keyset_value, last[sort.id]) : null,
  };
}

function encodeCursor(sort: SortKey, value: string, id: string): string {
  return Buffer.from(JSON.stringify([sort.name, value, id])).toString('base64url');
}

function decodeCursor(raw: unknown, sort: SortKey): { value: string; id: string } | null {
  if (raw === undefined || raw === '') return null;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => typeof p === 'string')) {
    throw badRequest('cursor is not valid: pass the next_cursor value of the previous page unchanged');
  }
  const [name, value, id] = parts as string[];
  if (name !== sort.name) throw badRequest('cursor was made for another sort or order: start again without cursor');
  if (!VALUE_SHAPE[sort.type].test(value)) throw badRequest('cursor is not valid: pass the next_cursor value of the previous page unchanged');
  return { value, id };
}
