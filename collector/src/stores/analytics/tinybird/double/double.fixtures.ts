/** Shared pieces of the double's tests: tokens, an events body, a read JWT, a test pipe. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { SignJWT } from 'jose';
import { freshScope, fullEvent, spanId, traceId } from '../../analytics-store.fixtures.ts';
import type { Scope } from '../../analytics-store.ts';
import { eventsToJsonEachRow } from '../../event-row.ts';
import type { CanonicalEvent } from '../../../../events/canonical-event.ts';
import { startTinybirdDouble, type TinybirdDouble, type TinybirdDoubleOptions } from './tinybird-double.ts';

export const ADMIN = 'p.admin-token';
export const APPEND = 'p.append-token';
const WORKSPACE = 'ws-double-test';

export const startDouble = (options: Partial<TinybirdDoubleOptions> = {}): Promise<TinybirdDouble> =>
  startTinybirdDouble({ adminToken: ADMIN, appendToken: APPEND, workspaceId: WORKSPACE, ...options });

export function someEvents(n: number, scope: Scope = freshScope()): CanonicalEvent[] {
  const trace = traceId();
  return Array.from({ length: n }, () => fullEvent(scope, trace, spanId()));
}

export interface PostOptions {
  token?: string;
  name?: string;
  wait?: boolean;
  gzip?: boolean;
  signal?: AbortSignal;
}

/** POST /v0/events the way a client would: NDJSON, optionally gzipped. */
export function postEvents(double: TinybirdDouble, ndjson: string | Buffer, options: PostOptions = {}): Promise<Response> {
  const query = new URLSearchParams({ name: options.name ?? 'events' });
  if (options.wait ?? true) query.set('wait', 'true');
  const headers: Record<string, string> = { 'Content-Type': 'application/x-ndjson', Authorization: `Bearer ${options.token ?? APPEND}` };
  let body: string | Buffer = ndjson;
  if (options.gzip) {
    body = gzipSync(ndjson);
    headers['Content-Encoding'] = 'gzip';
  }
  return fetch(`${double.host}/v0/events?${query}`, { method: 'POST', headers, body, signal: options.signal });
}

export const ndjsonOf = eventsToJsonEachRow;

export interface ReadJwtClaims {
  pipe: string;
  fixedParams?: Record<string, unknown>;
  name?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  workspaceId?: string;
  rps?: number;
  key?: string;
}

/** A Tinybird read JWT: HS256 with the admin token, one PIPES:READ scope with fixed_params. */
export function signReadJwt(claims: ReadJwtClaims): Promise<string> {
  return new SignJWT({
    workspace_id: claims.workspaceId ?? WORKSPACE,
    name: claims.name ?? 'tenant-read',
    scopes: [{ type: 'PIPES:READ', resource: claims.pipe, fixed_params: claims.fixedParams ?? {} }],
    ...(claims.rps ? { limits: { rps: claims.rps } } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresIn ?? 600))
    .sign(new TextEncoder().encode(claims.key ?? ADMIN));
}

/** A pipes directory with `tenant_spans`: a tenant's spans, tenant_id required. */
export function testPipesDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'observa-double-pipes-'));
  writeFileSync(path.join(dir, 'tenant_spans.pipe'), [
    'NODE tenant_spans_endpoint',
    'SQL >',
    '    %',
    '    SELECT tenant_id, span_id, input_tokens',
    '    FROM events FINAL',
    '    WHERE tenant_id = {{String(tenant_id, required=True)}}',
    '    ORDER BY span_id',
    '',
    'TYPE endpoint',
    '',
  ].join('\n'));
  writeFileSync(path.join(dir, 'other_pipe.pipe'), 'NODE other\nSQL >\n    SELECT 1 AS one\n\nTYPE endpoint\n');
  return dir;
}

export interface ErrorBody {
  error: string;
  documentation: string;
}

export interface PipeBody {
  meta: { name: string; type: string }[];
  data: Record<string, unknown>[];
  rows: number;
  statistics: { elapsed: number; rows_read: number; bytes_read: number };
}

/** `res.json()` typed (fetch types it `unknown`). */
export const bodyOf = async <T = ErrorBody>(res: Response): Promise<T> => (await res.json()) as T;
