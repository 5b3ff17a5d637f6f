/**
 * What a client is told about any error thrown while serving it, whatever the transport (the Koa
 * error handler, the OTLP/gRPC receiver): an HttpError as it is; a control plane that does not answer,
 * or a retryable analytics read, as 503 + Retry-After; Koa's own exposable errors (a malformed cookie)
 * with their status; anything else as 500 'internal error', its details kept for the log.
 */
import type { Logger } from 'pino';
import { HttpError } from '../http-error.ts';
import { AnalyticsReadError } from '../stores/analytics/analytics-store.ts';
import { controlPlaneUnavailable, isControlPlaneUnavailable } from '../stores/control/unavailable.ts';

const analyticsUnavailable = () => new HttpError(503, 'the analytics store is unavailable; retry later', { 'retry-after': '5' });

export interface ErrorAnswer {
  status: number;
  message: string;
  /** Headers the answer carries (Retry-After, RateLimit-*, WWW-Authenticate); empty for unknown errors. */
  headers: Record<string, string>;
  /**
   * How the failure is logged: `retry-later` (a store down, backpressure: expected under load or
   * outage) as one warning line, `failure` (a bug) with its stack, `none` for the client's own mistakes.
   */
  log: 'none' | 'retry-later' | 'failure';
  /** What to log: the error as thrown (a store outage's own message says what failed). */
  err: unknown;
}

export function errorAnswerOf(caught: unknown): ErrorAnswer {
  const err = isControlPlaneUnavailable(caught) ? controlPlaneUnavailable() : caught instanceof AnalyticsReadError && caught.retryable ? analyticsUnavailable() : caught;
  if (err instanceof HttpError) {
    // 501 (OTLP metrics sent here) is the client's configuration, not a failure of ours: not logged, as a 4xx.
    const log = err.status === 503 ? 'retry-later' : err.status >= 500 && err.status !== 501 ? 'failure' : 'none';
    return { status: err.status, message: err.message, headers: err.headers, log, err: caught };
  }
  const exposed = err as { status?: number; expose?: boolean; message?: string };
  const status = exposed.status && exposed.expose ? exposed.status : 500;
  return { status, message: status < 500 ? String(exposed.message) : 'internal error', headers: {}, log: status >= 500 ? 'failure' : 'none', err: caught };
}

/**
 * Logs an answer as its `log` says, the same for every transport: `what` names what was refused or
 * failed ('request', 'gRPC call'), `where` where it was (path and method, gRPC method).
 */
export function logErrorAnswer(log: Logger, answer: ErrorAnswer, what: string, where: Record<string, unknown>): void {
  // A 503 (a store down, backpressure) is expected under load or outage: one warning line, not a stack per request.
  if (answer.log === 'retry-later') log.warn({ ...where, reason: (answer.err as Error).message }, `${what} refused: retry later`);
  else if (answer.log === 'failure') log.error({ err: answer.err, ...where }, `${what} failed`);
}
