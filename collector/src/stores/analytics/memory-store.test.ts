import { expect, it } from 'vitest';
import { describeAnalyticsStoreConformance } from './analytics-store.conformance.ts';
import { freshScope } from './analytics-store.fixtures.ts';
import { InMemoryAnalyticsStore } from './memory-store.ts';

describeAnalyticsStoreConformance('memory', async () => {
  const store = new InMemoryAnalyticsStore();
  await store.start();
  return store;
});

it('leaves the dashboard queries to the SQL backends, saying so', async () => {
  const store = new InMemoryAnalyticsStore();
  await expect(store.query('model_breakdown', { ...freshScope(), fromMs: 0, toMs: 1 })).rejects.toThrow(/does not answer model_breakdown/);
});
