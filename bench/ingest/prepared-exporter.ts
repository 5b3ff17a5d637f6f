/**
 * The load generator's exporter: the OpenTelemetry OTLP/HTTP protobuf exporter's own transport (its
 * HTTP agent, headers, timeouts and retries, @opentelemetry/otlp-exporter-base) with a serializer that
 * does the serialization once. Each batch is encoded up front by the SDK's ProtobufTraceSerializer; an
 * export then copies those bytes and writes fresh random trace and span ids where the old ones were, so
 * the collector sees new spans every time while the 2 cores of this machine go to the server under test,
 * not to clients re-encoding the same kilobytes of prompts (which capped both the ceiling and the
 * collector at ~20 000 spans/s with the stock exporter).
 */
import { randomFillSync } from 'node:crypto';
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer, type IExporterMetricsHelper } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** One batch's bytes and, for each distinct id in them, where it sits. */
export interface PreparedBatch {
  spanCount: number;
  bytes: Buffer;
  idOffsets: { length: number; offsets: number[] }[];
}

/** Every offset of `id` in `bytes`. Ids are random, so a match is the id (a collision with prompt text is ~2^-64). */
function offsetsOf(bytes: Buffer, id: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = bytes.indexOf(id); at !== -1; at = bytes.indexOf(id, at + id.length)) offsets.push(at);
  return offsets;
}

export function prepareBatch(spans: ReadableSpan[]): PreparedBatch {
  const bytes = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
  const ids = new Set<string>();
  for (const span of spans) {
    ids.add(span.spanContext().traceId);
    ids.add(span.spanContext().spanId);
  }
  return { spanCount: spans.length, bytes, idOffsets: [...ids].map((hex) => ({ length: hex.length / 2, offsets: offsetsOf(bytes, Buffer.from(hex, 'hex')) })) };
}

/** A copy of the batch under fresh ids: one id -> one new id everywhere, so parent links stay intact. */
function withFreshIds(batch: PreparedBatch): Uint8Array {
  const bytes = Buffer.from(batch.bytes);
  const fresh = Buffer.alloc(16);
  for (const { length, offsets } of batch.idOffsets) {
    randomFillSync(fresh, 0, length);
    for (const at of offsets) fresh.copy(bytes, at, 0, length);
  }
  return bytes;
}

const preparedMetrics: IExporterMetricsHelper<PreparedBatch> = { name: 'span', countItems: (batch) => batch.spanCount };

export class PreparedBatchExporter extends OTLPExporterBase<PreparedBatch> {
  constructor(url: string, headers: Record<string, string>) {
    const serializer = { serializeRequest: withFreshIds, deserializeResponse: ProtobufTraceSerializer.deserializeResponse };
    super(createOtlpHttpExportDelegate(
      convertLegacyHttpOptions({ url, headers, timeoutMillis: 60_000 }, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
      serializer, 'otlp_http_span_exporter', preparedMetrics, undefined,
    ));
  }
}
