/**
 * How the double answers: JSON bodies, and errors shaped like Tinybird's (`{error, documentation}`,
 * see the Events API reference: "errors `{error, documentation}`").
 */
import type { ServerResponse } from 'node:http';

const DOCS = 'https://www.tinybird.co/docs/api-reference';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const errorReply = (status: number, error: string, headers?: Record<string, string>): Reply => ({
  status,
  body: { error, documentation: DOCS },
  headers,
});

/** Writes a reply unless the client is gone (a timed-out client closes its socket). */
export function send(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string>): void {
  if (res.destroyed || res.headersSent) return;
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    ...extraHeaders,
    ...reply.headers,
  });
  res.end(text);
}
