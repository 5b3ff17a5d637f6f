/** Splitting events into Events API requests: per tenant, by rows and by bytes, each event once, in order. */
import { describe, expect, it } from 'vitest';
import { freshScope, fullEvent, spanId, traceId } from '../analytics-store.fixtures.ts';
import { eventsToJsonEachRow } from '../event-row.ts';
import { appendBatches } from './append-batches.ts';

const events = (n: number, scope = freshScope()) => Array.from({ length: n }, () => fullEvent(scope, traceId(), spanId()));
const spanIds = (body: string) => body.split('\n').map((line) => JSON.parse(line).span_id as string);

describe('appendBatches', () => {
  it('splits by rows', () => {
    const all = events(12);
    const batches = appendBatches(all, { maxRows: 5, maxBytes: 1e9 });
    expect(batches.map((b) => b.rows)).toEqual([5, 5, 2]);
    expect(batches.flatMap((b) => spanIds(b.body))).toEqual(all.map((e) => e.span_id));
  });

  it('splits by bytes, never above the limit unless one row alone is larger', () => {
    const all = events(10);
    const rowBytes = Buffer.byteLength(eventsToJsonEachRow([all[0]])) + 1;
    const maxBytes = Math.floor(rowBytes * 3.5);
    const batches = appendBatches(all, { maxRows: 1000, maxBytes });
    expect(batches.length).toBeGreaterThanOrEqual(3);
    for (const batch of batches) expect(Buffer.byteLength(batch.body) + 1).toBeLessThanOrEqual(maxBytes);
    expect(batches.flatMap((b) => spanIds(b.body))).toEqual(all.map((e) => e.span_id));

    const alone = appendBatches(all.slice(0, 3), { maxRows: 1000, maxBytes: 10 });
    expect(alone.map((b) => b.rows)).toEqual([1, 1, 1]);
  });

  it('keeps tenants apart', () => {
    const a = freshScope();
    const b = freshScope();
    const [a1, a2] = events(2, a);
    const [b1] = events(1, b);
    const batches = appendBatches([a1, b1, a2], { maxRows: 1000, maxBytes: 1e9 });
    expect(batches.map((x) => [x.tenantId, spanIds(x.body)])).toEqual([[a.tenantId, [a1.span_id, a2.span_id]], [b.tenantId, [b1.span_id]]]);
  });

  it('makes no request for no events', () => {
    expect(appendBatches([], { maxRows: 1, maxBytes: 1 })).toEqual([]);
  });
});
