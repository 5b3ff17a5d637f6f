/**
 * Classifies control-plane errors once: a connection lost, a server shutting down, a pool timeout or a
 * serialization conflict is retryable (the client gets 503 + Retry-After); anything else is a bug (500).
 */
import { HttpError } from '../../http-error.ts';

const RETRYABLE_SQLSTATE_CLASSES = ['08', '40', '53', '57'];
/** In class 08 but a bug, not an outage: a protocol violation (e.g. too many bind parameters) fails the same way on retry. */
const PERMANENT_SQLSTATES = new Set(['08P01']);
const RETRYABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

export function isControlPlaneUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && RETRYABLE_NODE_CODES.has(code)) return true;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return !PERMANENT_SQLSTATES.has(code) && RETRYABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2));
  return err.name === 'KnexTimeoutError' || /Connection terminated|connection (is )?closed|not queryable/i.test(err.message);
}

const RETRY_AFTER_SECONDS = 5;

export function controlPlaneUnavailable(): HttpError {
  return new HttpError(503, 'the control-plane database is unavailable; retry later', { 'retry-after': String(RETRY_AFTER_SECONDS) });
}
