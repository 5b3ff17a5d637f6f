/**
 * google.rpc status for the OTLP receivers: the code an HTTP status stands for (the pairs the OTLP
 * specification uses, the same on OTLP/HTTP error bodies and OTLP/gRPC statuses), and the RetryInfo
 * detail that tells a gRPC client how long to wait before retrying a throttled or unavailable export.
 */
import { ProtoWriter } from './protobuf-writer.ts';

/** The google.rpc.Code values the collector answers with (grpc-js's Status enum has the same numbers). */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

/** google.rpc.Code for an HTTP status, as the OTLP specification pairs them. */
export function rpcCodeOf(httpStatus: number): number {
  switch (httpStatus) {
    case 400: case 413: case 415: return RpcCode.INVALID_ARGUMENT;
    case 401: return RpcCode.UNAUTHENTICATED;
    case 403: return RpcCode.PERMISSION_DENIED;
    case 404: return RpcCode.NOT_FOUND;
    case 405: case 501: return RpcCode.UNIMPLEMENTED;
    case 429: return RpcCode.RESOURCE_EXHAUSTED;
    case 503: return RpcCode.UNAVAILABLE;
    default: return RpcCode.INTERNAL;
  }
}

export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * The delay a Retry-After header value asks for, in whole seconds, or null when there is none or it
 * is not a number of seconds (the collector only ever sends seconds).
 */
export function retryAfterSeconds(headers: Record<string, string>): number | null {
  const raw = headers['retry-after'];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return null;
  return Number(raw);
}

/** google.protobuf.Any{RetryInfo{retry_delay=1: google.protobuf.Duration{seconds=1 int64, nanos=2 int32}}}, for google.rpc.Status.details. */
export function retryInfoDetail(delaySeconds: number): { typeUrl: string; value: Uint8Array } {
  const value = new ProtoWriter().messageField(1, (duration) => {
    if (delaySeconds !== 0) duration.varintField(1, delaySeconds);
  }).finish();
  return { typeUrl: RETRY_INFO_TYPE_URL, value };
}
