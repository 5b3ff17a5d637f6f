/**
 * One page of a list ordered newest first by (time column, id column), continuing after a cursor.
 * Rows must select `sort_at` (the time column as Postgres text, so the cursor keeps microseconds).
 */
import type { Knex } from 'knex';
import { decodeCursor, encodeCursor } from './cursor.ts';

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export async function keysetPage<T>(
  query: Knex.QueryBuilder,
  key: { time: string; id: string },
  limit: number,
  rawCursor: unknown,
  toJson: (row: Record<string, any>) => T,
): Promise<Page<T>> {
  const cursor = decodeCursor(rawCursor);
  if (cursor) query.whereRaw(`(${key.time}, ${key.id}) < (?::timestamptz, ?)`, [cursor.at, cursor.id]);
  const rows = await query.orderBy([{ column: key.time, order: 'desc' }, { column: key.id, order: 'desc' }]).limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(toJson),
    next_cursor: rows.length > limit ? encodeCursor({ at: last.sort_at, id: last[key.id] }) : null,
  };
}
