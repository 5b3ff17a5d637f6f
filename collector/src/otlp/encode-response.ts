/**
 * Response bodies of the OTLP receivers, in the encoding of the request:
 * - 200: Export{Trace,Logs}ServiceResponse{partial_success=1: Export{Trace,Logs}PartialSuccess{
 *   rejected_spans | rejected_log_records =1 int64, error_message=2}}: the same wire layout for both
 *   signals, only the JSON name of the count differs. partial_success unset (empty body / `{}`) on full success.
 * - 4xx/5xx: google.rpc.Status{code=1 int32, message=2, details=3 repeated google.protobuf.Any{type_url=1, value=2}}.
 * JSON follows proto3 JSON: lowerCamelCase, int64 as a decimal string, default values omitted.
 */
import { ProtoWriter } from './protobuf-writer.ts';

export interface PartialSuccess {
  /** Spans or log records refused. */
  rejected: number | bigint;
  errorMessage: string;
}

export type OtlpSignal = 'traces' | 'logs';

/** The JSON name of partial_success's count, per signal. */
const REJECTED_JSON_NAME = { traces: 'rejectedSpans', logs: 'rejectedLogRecords' } as const;

export interface RpcStatus {
  code: number; // google.rpc.Code, e.g. 3 INVALID_ARGUMENT
  message: string;
  details?: { typeUrl: string; value: Uint8Array }[];
}

/** Export{Trace,Logs}ServiceResponse as protobuf; no argument = full success (zero-length body). */
export function encodeExportResponseProtobuf(partialSuccess?: PartialSuccess): Uint8Array {
  const w = new ProtoWriter();
  if (partialSuccess) {
    w.messageField(1, (ps) => {
      if (BigInt(partialSuccess.rejected) !== 0n) ps.varintField(1, partialSuccess.rejected);
      if (partialSuccess.errorMessage) ps.bytesField(2, partialSuccess.errorMessage);
    });
  }
  return w.finish();
}

/** Export{Trace,Logs}ServiceResponse as OTLP/JSON text; no partial success = `{}`. */
export function encodeExportResponseJson(signal: OtlpSignal, partialSuccess?: PartialSuccess): string {
  if (!partialSuccess) return '{}';
  const ps: Record<string, string> = {};
  if (BigInt(partialSuccess.rejected) !== 0n) ps[REJECTED_JSON_NAME[signal]] = String(partialSuccess.rejected);
  if (partialSuccess.errorMessage) ps.errorMessage = partialSuccess.errorMessage;
  return JSON.stringify({ partialSuccess: ps });
}

/** google.rpc.Status as protobuf (error bodies). */
export function encodeRpcStatusProtobuf(status: RpcStatus): Uint8Array {
  const w = new ProtoWriter();
  if (status.code !== 0) w.varintField(1, status.code);
  if (status.message) w.bytesField(2, status.message);
  for (const detail of status.details ?? []) {
    w.messageField(3, (any) => any.bytesField(1, detail.typeUrl).bytesField(2, detail.value));
  }
  return w.finish();
}

/**
 * google.rpc.Status as JSON text. A detail's message type is unknown here, so it is rendered as
 * `{"@type": typeUrl, "value": base64}` (the proto3 JSON shape of an Any wrapping a bytes-valued type).
 */
export function encodeRpcStatusJson(status: RpcStatus): string {
  const out: { code?: number; message?: string; details?: { '@type': string; value: string }[] } = {};
  if (status.code !== 0) out.code = status.code;
  if (status.message) out.message = status.message;
  if (status.details?.length) {
    out.details = status.details.map((d) => ({ '@type': d.typeUrl, value: Buffer.from(d.value).toString('base64') }));
  }
  return JSON.stringify(out);
}
