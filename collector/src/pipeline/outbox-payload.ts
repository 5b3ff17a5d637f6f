/** The outbox holds mapped canonical events as gzipped NDJSON, so shipping never re-decodes or re-maps. */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { CanonicalEvent } from '../events/canonical-event.ts';

export function encodeOutboxPayload(events: CanonicalEvent[]): Buffer {
  return gzipSync(events.map((e) => JSON.stringify(e)).join('\n'), { level: 1 });
}

export function decodeOutboxPayload(payload: Uint8Array): CanonicalEvent[] {
  const text = gunzipSync(payload).toString('utf8');
  return text ? text.split('\n').map((line) => JSON.parse(line) as CanonicalEvent) : [];
}
