/**
 * OTLP/HTTP receiver: POST /v1/traces and /v1/logs in protobuf or JSON (gzip or not). The key is checked
 * and the content type settled before the body is read; the answer uses the request's encoding.
 */
import Router, { type RouterMiddleware } from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { Context } from 'koa';
import type { AuthState } from '../auth/authenticate.ts';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { HttpError } from '../http-error.ts';
import { encodeExportResponseJson, encodeExportResponseProtobuf, type OtlpSignal, type PartialSuccess } from '../otlp/encode-response.ts';
import type { OtlpEncoding } from './export-traces.ts';
import { readBody, type Body } from './read-body.ts';

/** The OTLP encoding a request declares, or null for anything else. */
export function otlpEncodingOf(ctx: Context): OtlpEncoding | null {
  const type = ctx.request.type;
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return null;
}

/** What one OTLP signal does with an admitted body; the route handles content types, the body and the answer. */
export type OtlpExport = (principal: ApiKeyPrincipal, body: Body, encoding: OtlpEncoding) => Promise<PartialSuccess | undefined>;

/** An OTLP/HTTP route for one signal: the key is checked (by `admit`) and the content type settled before the body is read. */
export function otlpHttpRoute(signal: OtlpSignal, exportSignal: OtlpExport, maxBodyBytes: number): RouterMiddleware {
  return async (ctx) => {
    const encoding = otlpEncodingOf(ctx);
    if (!encoding) {
      throw new HttpError(415, `unsupported Content-Type "${ctx.get('content-type')}": OTLP/HTTP takes application/x-protobuf or application/json`);
    }
    const body = await readBody(ctx.req, maxBodyBytes);
    const principal = (ctx.state.auth as AuthState).principal as ApiKeyPrincipal;
    const partial = await exportSignal(principal, body, encoding);
    ctx.type = encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json';
    ctx.body = encoding === 'protobuf' ? Buffer.from(encodeExportResponseProtobuf(partial)) : encodeExportResponseJson(signal, partial);
  };
}

/** Each signal's export step; /v1/metrics is refused, as Observa stores no metrics. */
export type OtlpExports = Record<OtlpSignal, OtlpExport>;

export const METRICS_NOT_SUPPORTED = 'Observa does not accept OTLP metrics: it derives usage, cost and latency metrics from traces; send traces (and GenAI log events) instead, and point metrics at a metrics backend';

export function otlpHttpReceiver(exports: OtlpExports, admit: RouterMiddleware[], maxBodyBytes: number): Router {
  const router = new Router(ROUTE_MATCHING);
  router.post('/v1/traces', ...admit, otlpHttpRoute('traces', exports.traces, maxBodyBytes));
  router.post('/v1/logs', ...admit, otlpHttpRoute('logs', exports.logs, maxBodyBytes));
  // 501 is not retried by OTLP exporters: a metrics pipeline pointed here fails at once with this message.
  router.post('/v1/metrics', () => {
    throw new HttpError(501, METRICS_NOT_SUPPORTED);
  });
  return router;
}
