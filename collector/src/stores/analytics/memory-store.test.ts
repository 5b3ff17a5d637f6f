import { describeAnalyticsStoreConformance } from './analytics-store.conformance.ts';
import { InMemoryAnalyticsStore } from './memory-store.ts';

describeAnalyticsStoreConformance('memory', async () => {
  const store = new InMemoryAnalyticsStore();
  await store.start();
  return store;
});
