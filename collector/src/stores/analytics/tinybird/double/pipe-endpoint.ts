/**
 * `GET /v0/pipes/<name>.json`: the pipe's template rendered with the request's params and run on chDB.
 * The documented answer `{meta:[{name,type}], data, rows, rows_before_limit_at_least?,
 * statistics:{elapsed, rows_read, bytes_read}}` is ClickHouse's own `FORMAT JSON`, passed through.
 * Missing or invalid params and query errors answer 400 `{error}`; an unknown pipe 404.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PipeParamError, parsePipe, renderPipe, type RenderedPipe } from '../../pipes/render-pipe.ts';
import type { DoubleContext } from './double-context.ts';
import type { DoubleDatabase } from './double-database.ts';
import { errorReply, type Reply } from './http-reply.ts';
import { pipeAccess, type Grant } from './token-auth.ts';

const PIPE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The pipe's source, or null when there is no such pipe. */
async function readPipeSource(pipesDir: string, name: string): Promise<string | null> {
  if (!PIPE_NAME.test(name)) return null;
  try {
    return await readFile(path.join(pipesDir, `${name}.pipe`), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function runPipe(db: DoubleDatabase, source: string, params: Record<string, string>): Promise<Reply> {
  let rendered: RenderedPipe;
  try {
    rendered = renderPipe(parsePipe(source), params);
  } catch (err) {
    if (err instanceof PipeParamError) return errorReply(400, err.message);
    throw err;
  }
  try {
    const result = await db.track(db.session.queryBindAsync(rendered.sql, rendered.params, { format: 'JSON' }));
    return { status: 200, body: result.text() };
  } catch (err) {
    return errorReply(400, `[Error] ${(err as Error).message.split('\n')[0]}`);
  }
}

/** GET /v0/pipes/<name>.json?params: a JWT scope's fixed_params override the caller's params. */
export async function pipeEndpoint(ctx: DoubleContext, url: URL, grant: Grant): Promise<Reply> {
  const name = /^\/v0\/pipes\/([^/]+)\.json$/.exec(url.pathname)?.[1];
  if (!name) return errorReply(404, `Not found: ${url.pathname} (the double serves the .json format)`);
  const access = pipeAccess(grant, name);
  if (!access) return errorReply(403, `Not enough permissions to read pipe "${name}"`);
  const source = await readPipeSource(ctx.pipesDir, name);
  if (source === null) return errorReply(404, `The pipe "${name}" does not exist`);
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (key !== 'token') params[key] = value;
  return runPipe(ctx.db, source, { ...params, ...access.fixedParams });
}
