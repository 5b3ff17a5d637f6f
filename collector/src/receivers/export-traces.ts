/**
 * One OTLP trace export after its transport: decode the ExportTraceServiceRequest, run the spans
 * through the ingest pipeline, and say what was refused. OTLP/HTTP, OTLP/gRPC and the Langfuse
 * endpoint all call this; each transport only admits the request and encodes the answer.
 */
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { HttpError } from '../http-error.ts';
import { decodeJsonTraces } from '../otlp/decode-json.ts';
import { decodeProtobufTraces } from '../otlp/decode-protobuf.ts';
import type { PartialSuccess } from '../otlp/encode-response.ts';
import { DecodeError, type RejectedSpan } from '../otlp/span.ts';
import type { IngestPipeline } from '../pipeline/ingest.ts';
import type { Body } from './read-body.ts';

export type OtlpEncoding = 'protobuf' | 'json';

/** At most this many reasons are listed in partial_success.error_message; the count covers all. */
const LISTED_REASONS = 5;

/** partial_success for the refused items of a request (spans or log records), or undefined when none was refused. */
export function partialSuccessOf(rejected: readonly RejectedSpan[], noun: string): PartialSuccess | undefined {
  if (rejected.length === 0) return undefined;
  const listed = rejected.slice(0, LISTED_REASONS).map((r) => r.reason);
  const more = rejected.length > LISTED_REASONS ? `; and ${rejected.length - LISTED_REASONS} more` : '';
  return { rejected: rejected.length, errorMessage: `${rejected.length} ${noun}(s) rejected: ${listed.join('; ')}${more}` };
}

/** Decodes with `decode`, turning wire damage into a 400 that names the message and the encoding. */
export function decodeOrRefuse<T>(decode: (bytes: Uint8Array) => T, bytes: Uint8Array, message: string, encoding: OtlpEncoding): T {
  try {
    return decode(bytes);
  } catch (err) {
    if (err instanceof DecodeError) throw new HttpError(400, `could not decode ${message} as ${encoding}: ${err.message}`);
    throw err;
  }
}

export async function exportTraces(pipeline: IngestPipeline, principal: ApiKeyPrincipal, body: Body, encoding: OtlpEncoding): Promise<PartialSuccess | undefined> {
  const decoded = decodeOrRefuse(encoding === 'protobuf' ? decodeProtobufTraces : decodeJsonTraces, body.bytes, 'ExportTraceServiceRequest', encoding);
  const result = await pipeline.ingestSpans(principal, decoded.spans, body.wireBytes, decoded.rejected);
  const rejected = [...decoded.rejected, ...result.rejected].sort((a, b) => a.index - b.index);
  return partialSuccessOf(rejected, 'span');
}
