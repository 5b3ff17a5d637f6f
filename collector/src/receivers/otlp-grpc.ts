/**
 * OTLP/gRPC receiver (port OBSERVA_GRPC_PORT, 4317 by default): the unary Export of TraceService and
 * LogsService, MetricsService answering UNIMPLEMENTED, and the standard grpc.health.v1.Health service. The services are defined by hand with
 * identity (de)serializers, so the request's raw bytes go to the same protobuf decoder as OTLP/HTTP's
 * (receivers/export-*.ts) and the answer is the same ExportServiceResponse bytes.
 *
 * grpc-js receives and decompresses (gzip, deflate) each message whole, refusing one larger than
 * OBSERVA_MAX_BODY_BYTES after decompression with RESOURCE_EXHAUSTED (grpc.max_receive_message_length;
 * the inflater stops at the limit, so a gzip bomb costs no more). Then the call passes the same
 * admission as OTLP/HTTP (app/ingest-admission.ts) and is exported. Refusals map their HTTP status to
 * the gRPC code the OTLP specification pairs with it (otlp/rpc-status.ts); RESOURCE_EXHAUSTED and
 * UNAVAILABLE carry a google.rpc.RetryInfo in grpc-status-details-bin, from the refusal's Retry-After.
 */
import { Metadata, Server, ServerCredentials, status, type sendUnaryData, type ServerErrorResponse, type ServerUnaryCall, type ServiceDefinition } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import type { AdmissionStep } from '../app/admission-context.ts';
import { errorAnswerOf, logErrorAnswer } from '../app/error-answer.ts';
import { runAdmitted } from '../app/ingest-admission.ts';
import type { AuthState } from '../auth/authenticate.ts';
import type { ApiKeyPrincipal } from '../auth/principal.ts';
import { encodeExportResponseProtobuf, encodeRpcStatusProtobuf, type OtlpSignal } from '../otlp/encode-response.ts';
import { retryAfterSeconds, retryInfoDetail, RpcCode, rpcCodeOf } from '../otlp/rpc-status.ts';
import { grpcAdmissionContext } from './otlp-grpc-admission.ts';
import { METRICS_NOT_SUPPORTED, type OtlpExport, type OtlpExports } from './otlp-http.ts';

export const OTLP_GRPC_SERVICES = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
} as const;

export interface OtlpGrpcOptions {
  host: string;
  /** 0 binds any free port (tests). */
  port: number;
  /** The largest message accepted, measured after decompression (OBSERVA_MAX_BODY_BYTES). */
  maxMessageBytes: number;
  /** The same steps, on the same objects, as the OTLP/HTTP routes (app/ingest-admission.ts). */
  admission: readonly AdmissionStep[];
  exports: OtlpExports;
  log: Logger;
}

export interface OtlpGrpcServer {
  /** host:port, as an OTLP/gRPC exporter's endpoint takes it (with http:// for plaintext). */
  address: string;
  port: number;
  /** Refuses new calls and resolves once those in progress have answered. */
  drain(): Promise<void>;
  /** Cuts the calls still in progress (their clients see UNAVAILABLE or CANCELLED and retry). */
  cut(): void;
}

const identity = (bytes: Buffer) => bytes;

/** A service with one unary Export method taking and answering raw protobuf bytes. */
function exportService(service: string): ServiceDefinition {
  return {
    Export: {
      path: `/${service}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  };
}

/** The gRPC status for an error thrown while admitting or exporting, as the HTTP error handler would answer it. */
export function grpcErrorOf(caught: unknown, log: Logger, method: string): Partial<ServerErrorResponse> {
  const answer = errorAnswerOf(caught);
  logErrorAnswer(log, answer, 'gRPC call', { grpcMethod: method });
  const code = rpcCodeOf(answer.status);
  const metadata = new Metadata();
  const delay = retryAfterSeconds(answer.headers);
  // OTLP exporters retry RESOURCE_EXHAUSTED only when the server says when (RetryInfo); UNAVAILABLE always, sooner with it.
  if ((code === RpcCode.RESOURCE_EXHAUSTED || code === RpcCode.UNAVAILABLE) && delay !== null) {
    metadata.set('grpc-status-details-bin', Buffer.from(encodeRpcStatusProtobuf({ code, message: answer.message, details: [retryInfoDetail(delay)] })));
  }
  return { code, details: answer.message, metadata };
}

function exportHandler(signal: OtlpSignal, exportSignal: OtlpExport, options: OtlpGrpcOptions) {
  const method = `/${OTLP_GRPC_SERVICES[signal]}/Export`;
  return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
    const message = call.request;
    const ctx = grpcAdmissionContext(call, message.length);
    runAdmitted(options.admission, ctx, () => {
      const principal = (ctx.state.auth as AuthState).principal as ApiKeyPrincipal;
      // grpc-js gives no compressed size: usage counts the message as received, after decompression.
      return exportSignal(principal, { bytes: message, wireBytes: message.length }, 'protobuf');
    }).then(
      (partial) => callback(null, Buffer.from(encodeExportResponseProtobuf(partial))),
      (err: unknown) => callback(grpcErrorOf(err, options.log, method)),
    );
  };
}

function unimplemented(message: string) {
  return (_call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => callback({ code: status.UNIMPLEMENTED, details: message });
}

/** `host:port` for bindAsync and clients; an IPv6 host in brackets. */
function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export async function startOtlpGrpcServer(options: OtlpGrpcOptions): Promise<OtlpGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': options.maxMessageBytes });
  server.addService(exportService(OTLP_GRPC_SERVICES.traces), { Export: exportHandler('traces', options.exports.traces, options) });
  server.addService(exportService(OTLP_GRPC_SERVICES.logs), { Export: exportHandler('logs', options.exports.logs, options) });
  server.addService(exportService(OTLP_GRPC_SERVICES.metrics), { Export: unimplemented(METRICS_NOT_SUPPORTED) });
  // grpc.health.v1.Health, for gRPC load balancers and Kubernetes gRPC probes: the receiver and its two
  // services serve until it drains. (The control plane's own health is GET /healthz on the HTTP port.)
  const served = ['', OTLP_GRPC_SERVICES.traces, OTLP_GRPC_SERVICES.logs];
  const health = new HealthImplementation(Object.fromEntries(served.map((name) => [name, 'SERVING'])));
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(hostPort(options.host, options.port), ServerCredentials.createInsecure(), (err, bound) => (err ? reject(new Error(`OTLP/gRPC receiver could not listen on ${hostPort(options.host, options.port)}: ${err.message}`)) : resolve(bound)));
  });
  const reachableHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host === '::' ? '::1' : options.host;
  return {
    address: hostPort(reachableHost, port),
    port,
    drain: () => {
      for (const name of served) health.setStatus(name, 'NOT_SERVING'); // health watchers learn it first
      return new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    },
    cut: () => server.forceShutdown(),
  };
}
