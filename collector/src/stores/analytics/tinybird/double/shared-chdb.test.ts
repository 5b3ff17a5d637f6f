import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshScope, fullEvent, spanId, traceId } from '../../analytics-store.fixtures.ts';
import { ChdbAnalyticsStore } from '../../chdb/chdb-store.ts';
import { ndjsonOf, postEvents, startDouble } from './double.fixtures.ts';

// chDB binds one data directory per process: a store and the double in one process share it.
const dataDir = mkdtempSync(path.join(tmpdir(), 'observa-double-shared-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the double beside a ChdbAnalyticsStore in one process', () => {
  it('shares the data directory but no table, and outlives the store', async () => {
    const store = new ChdbAnalyticsStore({ path: dataDir });
    await store.start();
    const double = await startDouble({ dataDir });
    try {
      const scope = freshScope();
      await store.append([fullEvent(scope, traceId(), spanId())]);
      const res = await postEvents(double, ndjsonOf([fullEvent(scope, traceId(), spanId()), fullEvent(scope, traceId(), spanId())]));
      expect(await res.json()).toEqual({ successful_rows: 2, quarantined_rows: 0 });
      expect(await store.query('span_count', scope)).toEqual([{ spans: 1 }]);
      await store.shutdown();
      const rows = await double.sql('SELECT count() AS n FROM events WHERE tenant_id = {t:String}', { t: scope.tenantId });
      expect(rows).toEqual([{ n: 2 }]);
    } finally {
      await store.shutdown();
      await double.close();
    }
  });

  it('refuses a second data directory while one is open', async () => {
    const double = await startDouble({ dataDir });
    try {
      await expect(startDouble()).rejects.toThrow(/one active data directory/);
    } finally {
      await double.close();
    }
  });
});
