/** Parses small JSON bodies of API writes (login, key creation) into ctx.request.body. */
import type { Context, Next } from 'koa';
import { badRequest, HttpError } from '../http-error.ts';
import { readBody } from '../receivers/read-body.ts';
import { NUL_MESSAGE } from './reject-nul-characters.ts';

const API_BODY_LIMIT = 1024 * 1024;

function refuseNul(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.includes('\u0000')) throw badRequest(NUL_MESSAGE);
  return value;
}

export function jsonBody() {
  return async (ctx: Context, next: Next) => {
    if (ctx.path.startsWith('/api/') && ['POST', 'PUT', 'PATCH'].includes(ctx.method) && ctx.request.length !== 0 && ctx.get('content-type')) {
      if (!ctx.is('application/json')) throw new HttpError(415, 'send application/json');
      const { bytes } = await readBody(ctx.req, API_BODY_LIMIT);
      try {
        ctx.request.body = bytes.length ? JSON.parse(bytes.toString('utf8'), refuseNul) : {};
      } catch (err) {
        throw err instanceof HttpError ? err : badRequest(`body is not valid JSON: ${(err as Error).message}`);
      }
    }
    await next();
  };
}
