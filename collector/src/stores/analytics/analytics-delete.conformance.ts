/**
 * Deletes, as every AnalyticsStore backend must do them (part of the shared conformance suite): once
 * `delete` resolves, queries no longer return the selected spans, and nothing outside the selector's
 * tenant and project is touched, even with the same trace, session or user ids.
 */
import { describe, expect, it } from 'vitest';
import { AnalyticsDeleteError, type AnalyticsStore, type DeleteSelector } from './analytics-store.ts';
import { countSpans, freshScope, fullEvent, readTrace, spanId, traceId } from './analytics-store.fixtures.ts';

export function describeDeleteConformance(backend: string, open: () => Promise<AnalyticsStore>): void {
  describe(`AnalyticsStore deletes: ${backend}`, () => {
    /** One project and two neighbours sharing its ids: another project of the tenant, and another tenant. */
    const neighbourhood = () => {
      const mine = freshScope();
      return { mine, sibling: { ...mine, projectId: `${mine.projectId}-b` }, stranger: { ...mine, tenantId: `${mine.tenantId}-x` } };
    };

    it('removes the listed traces of one project only, reporting the rows removed', async () => {
      const store = await open();
      const { mine, sibling, stranger } = neighbourhood();
      const [gone, alsoGone, kept] = [traceId(), traceId(), traceId()];
      await store.append([
        fullEvent(mine, gone, spanId()), fullEvent(mine, gone, spanId()), fullEvent(mine, alsoGone, spanId()), fullEvent(mine, kept, spanId()),
        fullEvent(sibling, gone, spanId()), fullEvent(stranger, gone, spanId()),
      ]);
      const report = await store.delete({ ...mine, traceIds: [gone, alsoGone] });
      expect(report.deletedRows === null || report.deletedRows === 3).toBe(true);
      expect(await readTrace(store, mine, gone)).toEqual([]);
      expect(await readTrace(store, mine, alsoGone)).toEqual([]);
      expect(await readTrace(store, mine, kept)).toHaveLength(1);
      expect([await countSpans(store, sibling), await countSpans(store, stranger)]).toEqual([1, 1]);
    });

    it('removes a session\'s spans and an end user\'s spans by their ids, whatever characters they hold', async () => {
      const store = await open();
      const { mine, sibling } = neighbourhood();
      const trace = traceId();
      const session = 'sess-🧵-1 \'quoted\' \\ back';
      const user = "user@example.com' OR 1=1 --";
      await store.append([
        fullEvent(mine, trace, spanId(), { session_id: session, user_id: 'someone' }),
        fullEvent(mine, trace, spanId(), { session_id: 'other', user_id: user }),
        fullEvent(mine, trace, spanId(), { session_id: 'other', user_id: 'someone', name: 'survivor' }),
        fullEvent(sibling, trace, spanId(), { session_id: session, user_id: user }),
      ]);
      await store.delete({ ...mine, sessionId: session });
      await store.delete({ ...mine, userId: user });
      expect((await readTrace(store, mine, trace)).map((e) => e.name)).toEqual(['survivor']);
      expect(await countSpans(store, sibling)).toBe(1);
    });

    it('removes spans that started before olderThan, keeping later ones', async () => {
      const store = await open();
      const { mine, stranger } = neighbourhood();
      const trace = traceId();
      const at = (start: string) => fullEvent(mine, trace, spanId(), { start_time: start, end_time: start, name: start });
      await store.append([at('2024-05-01T11:59:59.999000000Z'), at('2024-05-01T12:00:00.000000000Z'), at('2024-05-02T00:00:00.000000000Z')]);
      await store.append([fullEvent(stranger, trace, spanId(), { start_time: '2020-01-01T00:00:00Z', end_time: '2020-01-01T00:00:00Z' })]);
      await store.delete({ ...mine, olderThan: new Date('2024-05-01T12:00:00.000Z') });
      expect((await readTrace(store, mine, trace)).map((e) => e.name)).toEqual(['2024-05-01T12:00:00.000000000Z', '2024-05-02T00:00:00.000000000Z']);
      expect(await countSpans(store, stranger)).toBe(1);
    });

    it('removes a whole project, leaving its tenant\'s other projects and other tenants', async () => {
      const store = await open();
      const { mine, sibling, stranger } = neighbourhood();
      await store.append([mine, mine, sibling, stranger].map((scope) => fullEvent(scope, traceId(), spanId())));
      await store.delete({ ...mine, wholeProject: true });
      expect([await countSpans(store, mine), await countSpans(store, sibling), await countSpans(store, stranger)]).toEqual([0, 1, 1]);
    });

    it('removes a span delivered twice, removes nothing more when repeated, and stores a span appended afterwards again', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      const event = fullEvent(scope, trace, spanId());
      await store.append([event]);
      await store.append([event]);
      await store.delete({ ...scope, traceIds: [trace] });
      expect(await countSpans(store, scope)).toBe(0);
      const again = await store.delete({ ...scope, traceIds: [trace] });
      expect(again.deletedRows === null || again.deletedRows === 0).toBe(true);
      // A delete is no tombstone: the deletion executor waits for the outbox so a late batch cannot do this.
      await store.append([event]);
      expect(await readTrace(store, scope, trace)).toEqual([event]);
    });

    it('refuses a malformed selector for good, deleting nothing', async () => {
      const store = await open();
      const scope = freshScope();
      const trace = traceId();
      await store.append([fullEvent(scope, trace, spanId())]);
      const attempts: DeleteSelector[] = [
        { ...scope, traceIds: ["x' OR 1=1 --"] },
        { ...scope, traceIds: [] },
        { ...scope, tenantId: "t' OR ''='" , userId: 'u' },
        { ...scope, userId: '' },
        { ...scope, olderThan: new Date(Number.NaN) },
        { ...scope, traceIds: [trace], wholeProject: true } as unknown as DeleteSelector,
      ];
      for (const selector of attempts) {
        const error = await store.delete(selector).catch((err: unknown) => err);
        expect(error, JSON.stringify(selector)).toBeInstanceOf(AnalyticsDeleteError);
        expect((error as AnalyticsDeleteError).retryable).toBe(false);
      }
      expect(await countSpans(store, scope)).toBe(1);
    });
  });
}
