/**
 * Langfuse-compatible OTLP endpoint: `POST /api/public/otel/v1/traces`, the path the Langfuse SDKs
 * export to (`${baseUrl}/api/public/otel/v1/traces`, JS `@langfuse/otel` as OTLP/JSON, Python as
 * protobuf), so an app instrumented with Langfuse sends to Observa by changing its base URL and keys.
 *
 * Keys: the SDK sends `Authorization: Basic base64(<public key>:<secret key>)`. The secret key is an
 * Observa API key with the `ingest` scope; the public key is the id of that key's project, checked
 * against the key so a mixed-up pair is refused with the project the key belongs to. A Bearer or
 * x-observa-api-key credential is accepted too, as on /v1/traces (it names no public key to check).
 *
 * Everything after the credential is /v1/traces: the same admission and the same export step.
 */
import Router, { type RouterMiddleware } from '@koa/router';
import { ROUTE_MATCHING } from '../app/route-matching.ts';
import type { AuthState } from '../auth/authenticate.ts';
import { parseBasicAuthorization } from '../auth/basic-credential.ts';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { HttpError } from '../http-error.ts';
import { otlpHttpRoute, type OtlpExport } from './otlp-http.ts';

/** Every path under here answers like OTLP (app/error-handler.ts); only traces are served, as by Langfuse. */
export const LANGFUSE_OTEL_PREFIX = '/api/public/otel/';
export const LANGFUSE_OTEL_TRACES_PATH = `${LANGFUSE_OTEL_PREFIX}v1/traces`;

const KEY_MAPPING = 'public key = the Observa project id, secret key = an Observa API key with the "ingest" scope';

const refuse = (message: string) => new HttpError(401, message, { 'www-authenticate': 'Basic realm="observa"' });

interface LangfuseState {
  /** The public key of a Basic credential, checked once the secret key named its project. */
  langfusePublicKey?: string;
}

/**
 * Turns `Basic base64(<public key>:<secret key>)` into the secret key, presented as a Bearer token so
 * that the admission's key check (auth.requireKey, which reads the one documented credential order)
 * verifies it unchanged. Other schemes pass through to that check as they are. No I/O here.
 */
const basicToApiKey: RouterMiddleware = async (ctx, next) => {
  const basic = parseBasicAuthorization(ctx.get('authorization'));
  if (basic === null) {
    if (!ctx.get('authorization') && !ctx.get('x-observa-api-key')) {
      throw refuse(`missing credentials: send "Authorization: Basic base64(<public key>:<secret key>)" as the Langfuse SDKs do (${KEY_MAPPING}), or "Authorization: Bearer <key>"`);
    }
    return next();
  }
  if ('malformed' in basic) throw refuse(`malformed Authorization header: ${basic.malformed}; expected "Basic base64(<public key>:<secret key>)" (${KEY_MAPPING})`);
  if (basic.password === '') throw refuse(`the secret key in the Basic credential is empty (${KEY_MAPPING})`);
  (ctx.state as LangfuseState).langfusePublicKey = basic.userId;
  ctx.req.headers.authorization = `Bearer ${basic.password}`;
  await next();
};

/** After the key check: a Basic credential's public key must be the id of the key's project. */
const publicKeyMatchesProject: RouterMiddleware = async (ctx, next) => {
  const publicKey = (ctx.state as LangfuseState).langfusePublicKey;
  if (publicKey !== undefined) {
    const { projectId } = (ctx.state.auth as AuthState).principal as ApiKeyPrincipal;
    if (publicKey !== projectId) {
      throw refuse(`public key "${publicKey}" does not match the secret key: that API key belongs to project ${projectId}; set the public key (LANGFUSE_PUBLIC_KEY) to ${projectId}`);
    }
  }
  await next();
};

/**
 * `exportTraces` and `admit` are those of /v1/traces: the trace export step (receivers/export-traces.ts)
 * and the ingestion admission (per-IP limit, key with `ingest`, tenant limits, quota, backpressure, in-flight).
 */
export function langfuseOtelReceiver(exportTraces: OtlpExport, admit: RouterMiddleware[], maxBodyBytes: number): Router {
  const router = new Router(ROUTE_MATCHING);
  router.post(
    LANGFUSE_OTEL_TRACES_PATH,
    basicToApiKey,
    ...admit,
    publicKeyMatchesProject,
    otlpHttpRoute('traces', exportTraces, maxBodyBytes),
  );
  return router;
}
