/**
 * Every error ends here. HttpErrors become their status and message; anything else is a 500 whose
 * details stay in the log. OTLP routes answer with a google.rpc.Status in the request's encoding,
 * the JSON API with {error: {status, message}}.
 */
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { HttpError } from '../http-error.ts';
import { AnalyticsReadError } from '../stores/analytics/analytics-store.ts';
import { controlPlaneUnavailable, isControlPlaneUnavailable } from '../stores/control/unavailable.ts';
import { encodeRpcStatusJson, encodeRpcStatusProtobuf } from '../otlp/encode-response.ts';
import { otlpEncodingOf } from '../receivers/otlp-http.ts';

const analyticsUnavailable = () => new HttpError(503, 'the analytics store is unavailable; retry later', { 'retry-after': '5' });

/** google.rpc.Code for an HTTP status, as the OTLP specification pairs them. */
function rpcCode(status: number): number {
  switch (status) {
    case 400: case 413: case 415: return 3; // INVALID_ARGUMENT
    case 401: return 16; // UNAUTHENTICATED
    case 403: return 7; // PERMISSION_DENIED
    case 404: return 5; // NOT_FOUND
    case 405: return 12; // UNIMPLEMENTED
    case 429: return 8; // RESOURCE_EXHAUSTED
    case 503: return 14; // UNAVAILABLE
    default: return 13; // INTERNAL
  }
}

export function errorHandler(log: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (caught) {
      // Postgres gone (any route: auth, ingest, reads) is retryable: 503 + Retry-After, not a 500.
      const err = isControlPlaneUnavailable(caught) ? controlPlaneUnavailable() : caught instanceof AnalyticsReadError && caught.retryable ? analyticsUnavailable() : caught;
      const known = err instanceof HttpError;
      // Koa's own errors (e.g. a malformed cookie) carry an exposable status too.
      const status = known ? err.status : (err as { status?: number }).status && (err as { expose?: boolean }).expose ? (err as { status: number }).status : 500;
      const message = known || status < 500 ? (err as Error).message : 'internal error';
      // A 503 (a store down, backpressure) is expected under load or outage: one warning line, not a stack per request.
      if (status === 503 && known) log.warn({ path: ctx.path, method: ctx.method, reason: (caught as Error).message }, 'request refused: retry later');
      else if (status >= 500) log.error({ err, path: ctx.path, method: ctx.method }, 'request failed');
      ctx.status = status;
      if (known) ctx.set(err.headers);
      if (ctx.path.startsWith('/v1/')) {
        const status_ = { code: rpcCode(status), message };
        if (otlpEncodingOf(ctx) === 'protobuf') {
          ctx.type = 'application/x-protobuf';
          ctx.body = Buffer.from(encodeRpcStatusProtobuf(status_));
        } else {
          ctx.type = 'application/json';
          ctx.body = encodeRpcStatusJson(status_);
        }
      } else {
        ctx.body = { error: { status, message } };
      }
    }
  };
}
