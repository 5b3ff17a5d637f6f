/**
 * OTLP/HTTP trace receiver: POST /v1/traces in protobuf or JSON (gzip or not). The key is checked and
 * the content type settled before the body is read; the answer uses the request's encoding.
 */
import Router, { type RouterMiddleware } from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Context } from 'koa';
import type { AuthState } from '../auth/authenticate.ts';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { HttpError } from '../http-error.ts';
import { decodeJsonTraces } from '../otlp/decode-json.ts';
import { decodeProtobufTraces } from '../otlp/decode-protobuf.ts';
import { encodeTraceResponseJson, encodeTraceResponseProtobuf } from '../otlp/encode-response.ts';
import { DecodeError, type RejectedSpan } from '../otlp/span.ts';
import type { IngestPipeline } from '../pipeline/ingest.ts';
import { readBody } from './read-body.ts';

export type OtlpEncoding = 'protobuf' | 'json';

/** The OTLP encoding a request declares, or null for anything else. */
export function otlpEncodingOf(ctx: Context): OtlpEncoding | null {
  const type = ctx.request.type;
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

/** At most this many reasons are listed in partial_success.error_message; the count covers all. */
const LISTED_REASONS = 5;

function partialSuccessMessage(rejected: RejectedSpan[]): string {
  const listed = rejected.slice(0, LISTED_REASONS).map((r) => r.reason);
  const more = rejected.length > LISTED_REASONS ? `; and ${rejected.length - LISTED_REASONS} more` : '';
  return `${rejected.length} span(s) rejected: ${listed.join('; ')}${more}`;
}

export function otlpHttpReceiver(pipeline: IngestPipeline, admit: RouterMiddleware[], maxBodyBytes: number): Router {
  const router = new Router(ROUTE_MATCHING);
  router.post('/v1/traces', ...admit, async (ctx) => {
    const encoding = otlpEncodingOf(ctx);
    if (!encoding) {
      throw new HttpError(415, `unsupported Content-Type "${ctx.get('content-type')}": OTLP/HTTP takes application/x-protobuf or application/json`);
    }
    const body = await readBody(ctx.req, maxBodyBytes);
    let decoded;
    try {
      decoded = encoding === 'protobuf' ? decodeProtobufTraces(body.bytes) : decodeJsonTraces(body.bytes);
    } catch (err) {
      if (err instanceof DecodeError) throw new HttpError(400, `could not decode ExportTraceServiceRequest as ${encoding}: ${err.message}`);
      throw err;
    }
    const principal = (ctx.state.auth as AuthState).principal as ApiKeyPrincipal;
    const result = await pipeline.ingestSpans(principal, decoded.spans, body.wireBytes, decoded.rejected);
    const rejected = [...decoded.rejected, ...result.rejected].sort((a, b) => a.index - b.index);
    const partial = rejected.length > 0 ? { rejectedSpans: rejected.length, errorMessage: partialSuccessMessage(rejected) } : undefined;
    ctx.type = encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
    ctx.body = encoding === 'protobuf' ? Buffer.from(encodeTraceResponseProtobuf(partial)) : encodeTraceResponseJson(partial);
  });
  return router;
}
