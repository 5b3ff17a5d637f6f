/** Opaque keyset cursors: the sort key of the last row served, base64url JSON. */
import { badRequest } from '../http-error.ts';

export interface Cursor {
  at: string; // Postgres timestamptz text of the last row's sort time (keeps microseconds)
  id: string; // tie-breaker: the last row's id
}

const POSTGRES_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: unknown): Cursor | null {
  if (raw === undefined || raw === '') return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(String(raw), 'base64url').toString('utf8'));
    if (typeof at === 'string' && typeof id === 'string' && POSTGRES_TIMESTAMP.test(at)) return { at, id };
  } catch {
    // fall through to the error below
  }
  throw badRequest('cursor is not valid: pass the next_cursor value of the previous page unchanged');
}
