/**
 * The storage behaviour every AnalyticsStore backend must share (Jaeger storage v2 habit): each
 * backend's test file runs this suite, so backends cannot drift apart. The dashboard queries have
 * their own suite (dashboard-queries.conformance.ts) for the backends that run SQL; deletes are part
 * of this one (analytics-delete.conformance.ts). Tests use fresh tenants and projects, so a backend
 * may keep one data directory for the whole file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { emptyEvent, type CanonicalEvent } from '../../events/canonical-event.ts';
import type { AnalyticsStore } from './analytics-store.ts';
import { countSpans, freshScope, fullEvent, readTrace, spanId, traceId } from './analytics-store.fixtures.ts';
import { describeDeleteConformance } from './analytics-delete.conformance.ts';

export function describeAnalyticsStoreConformance(
  backend: string,
  createStarted: () => Promise<AnalyticsStore>,
): void {
  describe(`AnalyticsStore conformance: ${backend}`, () => {
    const opened: AnalyticsStore[] = [];
    const open = async () => {
      const store = await createStarted();
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.shutdown();
    });

    it('reads back every field of a fully populated event exactly', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      const event = fullEvent(scope, trace, spanId());
      await store.append([event]);
      expect(await readTrace(store, scope, trace)).toEqual([event]);
    });

    it('keeps schema defaults, null messages and a null time to first token', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      const event: CanonicalEvent = {
        ...emptyEvent(), tenant_id: scope.tenantId, project_id: scope.projectId, trace_id: trace, span_id: spanId(),
        name: 'bare', start_time: '2024-05-01T12:00:00.000000000Z', end_time: '2024-05-01T12:00:00.000000000Z',
      };
      await store.append([event]);
      const [read] = await readTrace(store, scope, trace);
      expect(read).toEqual(event);
      expect(read.time_to_first_token_ms).toBeNull();
      expect(read.input).toBeNull();
    });

    it('reads times back as UTC RFC 3339 with nine fraction digits', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      await store.append([fullEvent(scope, trace, spanId(), { start_time: '2024-05-01T14:00:00.5+02:00', end_time: '2024-05-01T12:00:01Z' })]);
      const [read] = await readTrace(store, scope, trace);
      expect([read.start_time, read.end_time]).toEqual(['2024-05-01T12:00:00.500000000Z', '2024-05-01T12:00:01.000000000Z']);
    });

    it('orders a trace by start time, to the nanosecond, across batches', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      const at = (time: string) => fullEvent(scope, trace, spanId(), { start_time: time, name: time });
      const [a, b, c, d] = ['2024-05-01T12:00:00.000000001Z', '2024-05-01T12:00:00.000000002Z', '2024-05-01T12:00:00.100000000Z', '2024-05-02T00:00:00.000000000Z'].map(at);
      await store.append([d, b]);
      await store.append([c, a]);
      expect((await readTrace(store, scope, trace)).map((e) => e.name)).toEqual([a, b, c, d].map((e) => e.name));
    });

    it('counts a batch appended twice once', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      const batch = [fullEvent(scope, trace, spanId()), fullEvent(scope, trace, spanId())];
      await store.append(batch);
      await store.append(batch);
      expect(await countSpans(store, scope)).toBe(2);
      expect(await readTrace(store, scope, trace)).toHaveLength(2);
    });

    it('counts a span repeated within one batch once, the last copy winning', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      const span = spanId();
      await store.append([fullEvent(scope, trace, span, { name: 'first' }), fullEvent(scope, trace, span, { name: 'last' })]);
      expect(await countSpans(store, scope)).toBe(1);
      expect((await readTrace(store, scope, trace)).map((e) => e.name)).toEqual(['last']);
    });

    it('lets a later append of the same span replace the earlier one', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      const span = spanId();
      await store.append([fullEvent(scope, trace, span, { status: 'unset' })]);
      await store.append([fullEvent(scope, trace, span, { status: 'ok' })]);
      expect((await readTrace(store, scope, trace)).map((e) => e.status)).toEqual(['ok']);
    });

    it('never returns one project’s rows to another, even for the same trace and span ids', async () => {
      const store = await open();
      const a = freshScope();
      const b = { ...a, projectId: `${a.projectId}-b` };
      const otherTenant = { ...a, tenantId: `${a.tenantId}-x` };
      const trace = traceId();
      const span = spanId();
      await store.append([fullEvent(a, trace, span, { name: 'in A' }), fullEvent(a, trace, spanId(), { name: 'also A' })]);
      await store.append([fullEvent(b, trace, span, { name: 'in B' }), fullEvent(otherTenant, trace, span, { name: 'other tenant' })]);
      expect((await readTrace(store, b, trace)).map((e) => e.name)).toEqual(['in B']);
      expect((await readTrace(store, otherTenant, trace)).map((e) => e.name)).toEqual(['other tenant']);
      expect((await readTrace(store, a, trace)).map((e) => e.name).sort()).toEqual(['also A', 'in A']);
      expect([await countSpans(store, a), await countSpans(store, b), await countSpans(store, freshScope())]).toEqual([2, 1, 0]);
    });

    it('lands every batch of concurrent appends', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      await Promise.all(Array.from({ length: 8 }, () => store.append([fullEvent(scope, trace, spanId())])));
      expect(await countSpans(store, scope)).toBe(8);
    });

    it('treats an empty append as a no-op', async () => {
      const store = await open();
      const scope = freshScope();
      await store.append([]);
      expect(await countSpans(store, scope)).toBe(0);
      expect(await readTrace(store, scope, traceId())).toEqual([]);
    });

    describeDeleteConformance(backend, open);

    it('shuts down twice without error', async () => {
      const store = await open();
      await store.shutdown();
      await expect(store.shutdown()).resolves.toBeUndefined();
    });
  });
}
