/**
 * A named query's parameters as a pipe endpoint's query string: the same text parameters chDB
 * renders the pipe with (named-queries.ts pipeParams), except tenant_id. The read token fixes it
 * (fixed_params), so the tenant a read sees comes from the token alone, never from the URL.
 */
import { pipeParams } from '../named-queries.ts';

export function pipeSearchParams(params: object): URLSearchParams {
  const { tenant_id: _fixedByToken, ...rest } = pipeParams(params);
  return new URLSearchParams(rest);
}
