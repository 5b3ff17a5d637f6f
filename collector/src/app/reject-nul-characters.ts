/**
 * Postgres text cannot hold U+0000, so an id or filter carrying one would fail in the database as a
 * 500. The JSON API refuses it up front, in the path and query here and in bodies in jsonBody().
 */
import type { Context, Next } from 'koa';
import { badRequest } from '../http-error.ts';

export const NUL_MESSAGE = 'the request contains a NUL character (U+0000), which no field accepts';

export function rejectNulCharacters() {
  return async (ctx: Context, next: Next) => {
    if (ctx.path.startsWith('/api/')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(ctx.url);
      } catch {
        throw badRequest('the URL is not valid percent-encoding');
      }
      if (decoded.includes('\u0000')) throw badRequest(NUL_MESSAGE);
    }
    await next();
  };
}
