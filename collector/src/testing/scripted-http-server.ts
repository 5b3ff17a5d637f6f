/**
 * A tiny HTTP server for client tests: records every request (body gunzipped when sent gzipped) and
 * answers with whatever the test's handler says, so a client's handling of each status, header and
 * stall can be checked against the wire without a third-party service.
 */
import { once } from 'node:events';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  /** The body as sent on the wire. */
  raw: Buffer;
  /** The body as text, after gunzip when content-encoding was gzip. */
  text: string;
}

export interface ScriptedReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

export type Script = (request: RecordedRequest) => ScriptedReply;

export interface ScriptedServer {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the handler for the following requests. */
  answer(script: Script): void;
  close(): Promise<void>;
}

export async function startScriptedServer(script: Script = () => ({ status: 200, body: {} })): Promise<ScriptedServer> {
  let current = script;
  const requests: RecordedRequest[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
    const request: RecordedRequest = { method: req.method ?? '', url: new URL(req.url ?? '/', 'http://x'), headers: req.headers, raw, text };
    requests.push(request);
    const reply = current(request);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (res.destroyed) return;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(next) {
      current = next;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
