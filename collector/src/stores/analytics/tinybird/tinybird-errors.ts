/**
 * How Tinybird failures read to an operator. Tinybird answers errors as `{"error": "...",
 * "documentation": "..."}`; proxies and load balancers in front of it may answer plain text or HTML.
 * Either way the message quotes what was said (never the token that was sent).
 */
import { AnalyticsReadError } from '../analytics-store.ts';

const MAX_MESSAGE = 500;

export async function tinybirdErrorMessage(response: Response): Promise<string> {
  const text = await response.text();
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string') message = body.error;
  } catch {
    // not JSON: keep the text
  }
  message = message.trim().replace(/\s+/g, ' ');
  if (message === '') return response.statusText || 'no message';
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}

/** A failed pipe read: the HTTP status (null when Tinybird was not reached) and Tinybird's message. */
export class TinybirdQueryError extends AnalyticsReadError {
  override name = 'TinybirdQueryError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    // Not reached, throttled or failing: worth asking again later.
    super(message, status === null || status === 429 || status >= 500);
  }
}

/** "timed out after 30000 ms" / "ECONNREFUSED" / the message: why a request never got an answer. */
export function networkFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `timed out after ${timeoutMs} ms`;
  const cause = err instanceof Error ? (err.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message;
  const message = err instanceof Error ? err.message : String(err);
  return detail ? `${message} (${detail})` : message;
}
