/**
 * Attribute keys written here that `semconv.ts` does not hold: general OTel registry keys, and
 * one Observa key for streams the app stopped reading early.
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';

export const SERVER_ADDRESS = 'server.address';
export const SERVER_PORT = 'server.port';
export const ERROR_TYPE = 'error.type';
export const HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';

/** Span event: the app stopped reading a stream (break, abort) before it ended. */
export const STREAM_CANCELLED_EVENT = 'observa.stream.cancelled';
/** On that event: how many chunks the app had received. */
export const STREAM_CHUNKS = 'observa.stream.chunks';

/** `server.address` / `server.port` of a client's base URL. */
export function serverAttributes(baseURL: unknown): Record<string, string | number> {
  if (typeof baseURL !== 'string') return {};
  try {
    const url = new URL(baseURL);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
    return { [SERVER_ADDRESS]: url.hostname, [SERVER_PORT]: port };
  } catch {
    return {};
  }
}

/** Drops undefined values and empty lists, so spans carry only what the call actually had. */
export function compact(attributes: Record<string, AttributeValue | undefined>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = value;
  }
  return out;
}
