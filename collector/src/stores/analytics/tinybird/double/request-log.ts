/** What the double saw and answered, for tests to assert on (e.g. "the store sent gzip with wait=true"). */
import type { DoubleRoute } from './faults.ts';

export interface DoubleRequest {
  /** Date.now() when the request arrived. */
  at: number;
  method: string;
  /** null for paths the double does not serve (answered 404). */
  route: DoubleRoute | null;
  /** The path without the query string, e.g. `/v0/events`. */
  path: string;
  /** Query parameters, `token` redacted. */
  query: Record<string, string>;
  /** 'static' / 'jwt' when the token was recognised, 'invalid' when not, null when absent. */
  auth: 'static' | 'jwt' | 'invalid' | null;
  /** Answered status; 0 when the client went away before the answer. */
  status: number;
  /** What answered: an injected fault, the rate limiter, or the endpoint. */
  answeredBy: 'fault' | 'rate-limit' | 'endpoint';
  contentEncoding: string | null;
  /** Request body bytes as sent (compressed when gzip). */
  bodyBytes: number;
  successfulRows?: number;
  quarantinedRows?: number;
  importId?: string;
}
