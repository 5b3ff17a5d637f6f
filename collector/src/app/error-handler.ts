/**
 * Every error ends here. HttpErrors become their status and message; anything else is a 500 whose
 * details stay in the log. OTLP routes (`/v1/`, and the Langfuse-compatible `/api/public/otel/`) answer
 * with a google.rpc.Status in the request's encoding, the JSON API with {error: {status, message}}.
 */
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { encodeRpcStatusJson, encodeRpcStatusProtobuf } from '../otlp/encode-response.ts';
import { rpcCodeOf } from '../otlp/rpc-status.ts';
import { otlpEncodingOf } from '../receivers/otlp-http.ts';
import { LANGFUSE_OTEL_PREFIX } from '../receivers/langfuse-otel.ts';
import { errorAnswerOf, logErrorAnswer } from './error-answer.ts';

export function errorHandler(log: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
    } catch (caught) {
      // Postgres gone (any route: auth, ingest, reads) is retryable: 503 + Retry-After, not a 500 (app/error-answer.ts).
      const answer = errorAnswerOf(caught);
      logErrorAnswer(log, answer, 'request', { path: ctx.path, method: ctx.method });
      const { status, message, headers } = answer;
      ctx.status = status;
      ctx.set(headers);
      if (ctx.path.startsWith('/v1/') || ctx.path.startsWith(LANGFUSE_OTEL_PREFIX)) {
        const status_ = { code: rpcCodeOf(status), message };
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
