/** Small HTTP helpers shared by the fake provider servers. */
import type { ServerResponse } from 'node:http';

export type Json = Record<string, unknown>;

/** Before the first streamed event and between events: gives streams a measurable time to first chunk. */
export const FIRST_EVENT_DELAY_MS = 25;
export const EVENT_DELAY_MS = 2;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

export function startEventStream(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', ...headers });
}

/** One named SSE event (`event:` + `data:`), the framing both the Responses and Anthropic streams use. */
export function writeNamedEvent(res: ServerResponse, event: string, data: Json): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Splits text into word-sized deltas, the way providers stream it. */
export function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Arguments that satisfy a JSON schema's properties: strings say "Paris", numbers are 3, booleans true. */
export function argumentsFor(schema: unknown): Json {
  const out: Json = {};
  if (!isObject(schema) || !isObject(schema.properties)) return out;
  for (const [key, prop] of Object.entries(schema.properties)) {
    const type = isObject(prop) ? prop.type : undefined;
    out[key] = type === 'number' || type === 'integer' ? 3 : type === 'boolean' ? true : 'Paris';
  }
  return out;
}

/** `x-fake-status: 400` on a request makes a fake answer with that HTTP error. */
export function requestedFailure(header: string | string[] | undefined): number | undefined {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isInteger(value) && value >= 400 ? value : undefined;
}
