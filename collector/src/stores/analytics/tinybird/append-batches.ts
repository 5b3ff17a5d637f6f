/**
 * Splits events into Events API requests: one tenant per request (each tenant may write with its
 * own token, to its own workspace), at most maxRows rows and about maxBytes of NDJSON each. Tinybird
 * takes up to 10 MB per request and works best with batches of 1-5k rows.
 */
import type { CanonicalEvent } from '../../../events/canonical-event.ts';
import { eventsToJsonEachRow } from '../event-row.ts';

/** Tinybird refuses Events API requests over 10 MB. */
export const EVENTS_API_MAX_BYTES = 10 * 1024 * 1024;

export interface BatchLimits {
  maxRows: number;
  /** Uncompressed NDJSON bytes. A single row larger than this goes alone (Tinybird answers 413 if it must). */
  maxBytes: number;
}

export interface AppendBatch {
  tenantId: string;
  /** NDJSON, one row per line. */
  body: string;
  rows: number;
}

export function appendBatches(events: readonly CanonicalEvent[], limits: BatchLimits): AppendBatch[] {
  const byTenant = new Map<string, CanonicalEvent[]>();
  for (const event of events) {
    const group = byTenant.get(event.tenant_id);
    if (group) group.push(event);
    else byTenant.set(event.tenant_id, [event]);
  }
  const batches: AppendBatch[] = [];
  for (const [tenantId, group] of byTenant) {
    let lines: string[] = [];
    let bytes = 0;
    const flush = () => {
      if (lines.length > 0) batches.push({ tenantId, body: lines.join('\n'), rows: lines.length });
      lines = [];
      bytes = 0;
    };
    for (const event of group) {
      const line = eventsToJsonEachRow([event]);
      const size = Buffer.byteLength(line) + 1; // + the newline
      if (lines.length >= limits.maxRows || (lines.length > 0 && bytes + size > limits.maxBytes)) flush();
      lines.push(line);
      bytes += size;
    }
    flush();
  }
  return batches;
}
