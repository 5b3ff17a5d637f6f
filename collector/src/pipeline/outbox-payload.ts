/**
 * The outbox holds mapped canonical events as gzipped NDJSON, so shipping never re-decodes or re-maps.
 * Compression runs on libuv's thread pool: on the megabytes of a batch of LLM spans it would otherwise
 * hold the event loop that decodes and maps the next requests.
 */
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { CanonicalEvent } from '../events/canonical-event.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export async function encodeOutboxPayload(events: CanonicalEvent[]): Promise<Buffer> {
  return gzipAsync(events.map((e) => JSON.stringify(e)).join('\n'), { level: 1 });
}

export async function decodeOutboxPayload(payload: Uint8Array): Promise<CanonicalEvent[]> {
  const text = (await gunzipAsync(payload)).toString('utf8');
  return text ? text.split('\n').map((line) => JSON.parse(line) as CanonicalEvent) : [];
}
