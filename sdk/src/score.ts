/**
 * score(): sends feedback or an evaluation for a trace (or one of its spans) to the collector's
 * `POST /api/v1/scores`. Unlike span export this is an explicit call, so a refusal is the caller's
 * to see: a 4xx/5xx or an unreachable collector rejects with an Error naming the status and message.
 * It goes where the Observa processor exports (init() or ObservaSpanProcessor), else where the
 * environment says; it does nothing when the SDK is disabled.
 */
import { activeConnection, type Connection } from './active-sdk.ts';
import { resolveConfig } from './config.ts';
import type { ConnectionOptions, ScoreInput } from './types.ts';

/** Records a score; `options` override the active connection (e.g. another project's key). */
export async function score(input: ScoreInput, options?: ConnectionOptions): Promise<void> {
  const connection = options ? connectionFrom(options) : (activeConnection() ?? connectionFrom({}));
  if (connection.disabled) return;
  const body = { id: input.id, trace_id: input.traceId, span_id: input.spanId, name: input.name, value: input.value, comment: input.comment, source: 'sdk' };
  const url = `${connection.endpoint}/api/v1/scores`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { ...connection.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(connection.timeoutMillis),
    });
  } catch (error) {
    throw new Error(`Observa score failed: could not reach ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (response.ok) return;
  throw new Error(`Observa score failed: ${response.status} ${await errorMessage(response)}`);
}

function connectionFrom(options: ConnectionOptions): Connection {
  const config = resolveConfig(options);
  return { endpoint: config.endpoint, headers: config.headers, timeoutMillis: config.timeoutMillis, disabled: config.disabled };
}

/** The collector answers `{error: {status, message}}`; anything else is shown as text. */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON
  }
  return text.slice(0, 500) || response.statusText;
}
