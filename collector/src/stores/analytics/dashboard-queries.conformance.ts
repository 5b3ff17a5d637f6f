/**
 * Every named query over one fixed dataset, against hand-computed answers (dashboard-dataset.ts):
 * run by each backend that runs the pipes, so chDB and Tinybird give identical dashboard results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsStore } from './analytics-store.ts';
import { freshScope } from './analytics-store.fixtures.ts';
import { appendDashboardDataset, comparable, dashboardDataset, runDashboardCase } from './dashboard-dataset.ts';
import { QUERY_NAMES } from './named-queries.ts';

export function describeDashboardQueriesConformance(backend: string, createStarted: () => Promise<AnalyticsStore>): void {
  describe(`dashboard queries conformance: ${backend}`, () => {
    const dataset = dashboardDataset(freshScope());
    let store: AnalyticsStore;
    beforeAll(async () => {
      store = await createStarted();
      await appendDashboardDataset(store, dataset);
    });
    afterAll(async () => {
      await store?.shutdown();
    });

    it('has a case for every named query', () => {
      expect(new Set(dataset.cases.map((c) => c.name))).toEqual(new Set(QUERY_NAMES));
    });

    it.each(dataset.cases.map((c) => [c.title, c] as const))('%s', async (_, c) => {
      expect(comparable(await runDashboardCase(store, c))).toEqual(comparable(c.expected));
    });
  });
}
