import type http from 'node:http';
import { encodeRpcStatusJson, encodeRpcStatusProtobuf } from '../otlp/encode-response.ts';

/**
 * The server's request handler with a switch for shutdown. Once drained, in-flight responses tell
 * their clients to close the connection (so server.close() does not wait for keep-alive timeouts),
 * and a request still arriving on an open connection gets 503 + Retry-After + Connection: close,
 * answered after its body was read so the client sees the answer, not a reset.
 */
export function drainableHandler(handle: http.RequestListener) {
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  const refuse = (req: http.IncomingMessage, res: http.ServerResponse) => {
    res.shouldKeepAlive = false;
    const message = 'the collector is shutting down; retry';
    const otlp = req.url?.startsWith('/v1/');
    const protobuf = otlp && /protobuf/i.test(req.headers['content-type'] ?? '');
    const body = protobuf ? Buffer.from(encodeRpcStatusProtobuf({ code: 14, message }))
      : otlp ? encodeRpcStatusJson({ code: 14, message }) : JSON.stringify({ error: { status: 503, message } });
    req.resume();
    req.once('end', () => res.writeHead(503, { 'content-type': protobuf ? 'application/x-protobuf' : 'application/json', 'retry-after': '5' }).end(body));
  };
  return {
    handle(req: http.IncomingMessage, res: http.ServerResponse) {
      if (draining) return refuse(req, res);
      inFlight.add(res);
      res.once('close', () => inFlight.delete(res));
      handle(req, res);
    },
    drain() {
      draining = true;
      for (const res of inFlight) res.shouldKeepAlive = false;
    },
    inFlight: () => inFlight.size,
  };
}
