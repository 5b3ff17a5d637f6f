/**
 * One OTLP logs export after its transport (OTLP/HTTP POST /v1/logs, gRPC LogsService/Export): decode
 * the ExportLogsServiceRequest, hand the records to the log ingest step, and say what was refused.
 */
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { decodeJsonLogs } from '../otlp/decode-logs-json.ts';
import { decodeProtobufLogs } from '../otlp/decode-logs-protobuf.ts';
import type { PartialSuccess } from '../otlp/encode-response.ts';
import type { LogIngest } from '../pipeline/ingest-logs.ts';
import { decodeOrRefuse, partialSuccessOf, type OtlpEncoding } from './export-traces.ts';
import type { Body } from './read-body.ts';

export async function exportLogs(logs: LogIngest, principal: ApiKeyPrincipal, body: Body, encoding: OtlpEncoding): Promise<PartialSuccess | undefined> {
  const decoded = decodeOrRefuse(encoding === 'protobuf' ? decodeProtobufLogs : decodeJsonLogs, body.bytes, 'ExportLogsServiceRequest', encoding);
  const result = await logs.ingestLogs(principal, decoded, body.wireBytes);
  return partialSuccessOf(result.rejected, 'log record');
}
