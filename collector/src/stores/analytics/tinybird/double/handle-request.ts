/**
 * One request through the double, in the order a real edge would answer: an injected delay or
 * fault first, then the rate limit, the path, the token, and the endpoint. Every answer carries the
 * X-RateLimit-* headers (Events API reference).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deleteEndpoint, jobsEndpoint } from './delete-endpoint.ts';
import type { DoubleContext } from './double-context.ts';
import { eventsEndpoint } from './events-endpoint.ts';
import type { DoubleRoute } from './faults.ts';
import { errorReply, send, type Reply } from './http-reply.ts';
import { pipeEndpoint } from './pipe-endpoint.ts';
import { readBody, type Body } from './request-body.ts';
import type { DoubleRequest } from './request-log.ts';
import type { Grant } from './token-auth.ts';

type Identified = Grant | { denied: string };

export async function handleRequest(ctx: DoubleContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://double');
  const route = routeOf(req.method ?? 'GET', url.pathname);
  let gone = false;
  res.on('close', () => { gone = !res.writableFinished; });
  const entry: DoubleRequest = {
    at: Date.now(), method: req.method ?? 'GET', route, path: url.pathname,
    query: Object.fromEntries([...url.searchParams].map(([k, v]) => [k, k === 'token' ? '<redacted>' : v])),
    auth: null, status: 0, answeredBy: 'endpoint', contentEncoding: req.headers['content-encoding'] ?? null, bodyBytes: 0,
  };
  ctx.requests.push(entry);
  // The whole body first: answering while a client still sends makes it see a reset, not the status.
  const body = req.method === 'POST' ? await readBody(req, ctx.maxBodyBytes) : null;
  entry.bodyBytes = body?.bytes ?? 0;

  const delay = route ? ctx.faults.takeDelay(route) : null;
  if (delay?.phase === 'before') await pause(delay.ms, ctx.closing, res);
  if (gone || ctx.closing.aborted) return;

  const token = bearer(req) ?? url.searchParams.get('token');
  const grant: Identified = await ctx.auth.identify(token);
  entry.auth = token === null ? null : 'denied' in grant ? 'invalid' : grant.kind;
  const limit = ctx.limiter.hit(limitKey(route, url, grant, token), limitOf(grant, ctx.rateLimitPerSecond), ctx.faults.rateLimitResetSeconds);

  let reply: Reply;
  const fault = route ? ctx.faults.takeFailure(route) : null;
  if (fault) {
    reply = fault;
    entry.answeredBy = 'fault';
  } else if (limit.limited) {
    reply = errorReply(429, `Too many requests: retry after ${limit.resetSeconds} seconds`, { 'Retry-After': String(limit.resetSeconds) });
    entry.answeredBy = 'rate-limit';
  } else {
    const host = `http://${req.headers.host ?? '127.0.0.1'}`;
    reply = await endpoint(ctx, route, url, grant, body, entry, host).catch((err: Error) => errorReply(500, `Internal error: ${err.message}`));
  }

  if (delay?.phase === 'after') await pause(delay.ms, ctx.closing, res);
  if (gone) return;
  send(res, reply, limit.headers);
  entry.status = reply.status;
}

async function endpoint(ctx: DoubleContext, route: DoubleRoute | null, url: URL, grant: Identified, body: Body | null, entry: DoubleRequest, host: string): Promise<Reply> {
  if (route === null) return errorReply(404, `Not found: ${url.pathname}`);
  if ('denied' in grant) return errorReply(403, grant.denied);
  switch (route) {
    case 'events': return eventsEndpoint(ctx, url, grant, body!, entry);
    case 'pipes': return pipeEndpoint(ctx, url, grant);
    case 'delete': return deleteEndpoint(ctx, url, grant, body!, host);
    case 'jobs': return jobsEndpoint(ctx, url, grant);
  }
}

function routeOf(method: string, pathname: string): DoubleRoute | null {
  if (method === 'POST' && pathname === '/v0/events') return 'events';
  if (method === 'GET' && pathname.startsWith('/v0/pipes/')) return 'pipes';
  if (method === 'POST' && /^\/v0\/datasources\/[^/]+\/delete$/.test(pathname)) return 'delete';
  if (method === 'GET' && /^\/v0\/jobs\/[^/]+$/.test(pathname)) return 'jobs';
  return null;
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1].trim() : null;
}

/** Events are limited per datasource, pipe reads per JWT `name` (or per static token), deletes and jobs per token. */
function limitKey(route: DoubleRoute | null, url: URL, grant: Identified, token: string | null): string {
  if (route === 'events') return `events:${url.searchParams.get('name') ?? ''}`;
  if (!('denied' in grant) && grant.kind === 'jwt') return `jwt:${grant.name}`;
  return `token:${token ?? ''}`;
}

function limitOf(grant: Identified, fallback: number): number {
  return !('denied' in grant) && grant.kind === 'jwt' && grant.rps !== null ? grant.rps : fallback;
}

/** Waits `ms`, or less if the double closes or the client goes away. */
function pause(ms: number, closing: AbortSignal, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      closing.removeEventListener('abort', done);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    closing.addEventListener('abort', done, { once: true });
    res.once('close', done);
  });
}
