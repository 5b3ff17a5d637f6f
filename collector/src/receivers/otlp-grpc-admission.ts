/**
 * The admission context of one OTLP/gRPC call (app/admission-context.ts), so it passes the same steps
 * as an OTLP/HTTP request: the client address is the connection's peer (no forwarded header is
 * trusted: gRPC clients connect directly, or through a proxy that keeps the connection's address);
 * headers are the call's metadata (`authorization`, `x-observa-api-key`); content-length is the
 * size of the message, which grpc-js has received and decompressed whole before the handler runs.
 */
import type { Metadata } from '@grpc/grpc-js';
import type { AdmissionContext } from '../app/admission-context.ts';

/** The address of a peer as grpc-js reports it: `<address>:<port>` (IPv6 unbracketed in 1.14, bracketed by some versions), or 'unknown'. */
export function peerAddress(peer: string): string {
  if (peer === 'unknown') return '';
  const port = /:\d+$/.exec(peer);
  return (port ? peer.slice(0, port.index) : peer).replace(/^\[(.*)\]$/, '$1');
}

export function grpcAdmissionContext(call: { getPeer(): string; metadata: Metadata }, messageBytes: number): AdmissionContext {
  // Response headers the steps set (the RateLimit-* headers of the tightest limit), read back by the next limit.
  const responseHeaders = new Map<string, string>();
  return {
    ip: peerAddress(call.getPeer()),
    get(field) {
      const name = field.toLowerCase();
      if (name === 'content-length') return String(messageBytes);
      // Binary (-bin) values are Buffers; no admission step reads one.
      const value = call.metadata.get(name)[0];
      return typeof value === 'string' ? value : '';
    },
    set(headers) {
      for (const [name, value] of Object.entries(headers)) responseHeaders.set(name.toLowerCase(), value);
    },
    response: { get: (field) => responseHeaders.get(field.toLowerCase()) ?? '' },
    // A key only: gRPC exporters carry no dashboard session cookie.
    cookies: { get: () => undefined },
    state: {},
  };
}
