import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { describeAnalyticsStoreConformance } from '../analytics-store.conformance.ts';
import { freshScope, fullEvent, spanId, traceId } from '../analytics-store.fixtures.ts';
import { EVENT_COLUMNS } from '../event-columns.ts';
import { ChdbAnalyticsStore } from './chdb-store.ts';

// One data directory for the file: chDB binds one per process, and stores on the same path coexist.
const dataDir = mkdtempSync(path.join(tmpdir(), 'observa-chdb-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const startStore = async () => {
  const store = new ChdbAnalyticsStore({ path: dataDir });
  await store.start();
  return store;
};

describeAnalyticsStoreConformance('chdb', startStore);

describe('ChdbAnalyticsStore', () => {
  it('adds schema columns missing from a table created by an older version', async () => {
    const oldDir = mkdtempSync(path.join(tmpdir(), 'observa-chdb-old-'));
    // Its own directory: chDB opens one path per process, and this file's other stores are shut down between tests.
    const older = new Session(oldDir);
    await older.queryAsync('CREATE TABLE events (tenant_id String, project_id String, trace_id String, span_id String, start_time DateTime64(9, \'UTC\'), ingested_at DateTime64(3, \'UTC\') DEFAULT now64(3)) ENGINE = ReplacingMergeTree(ingested_at) ORDER BY (tenant_id, project_id, trace_id, span_id)');
    older.close();
    const store = new ChdbAnalyticsStore({ path: oldDir });
    try {
      await store.start();
      const scope = freshScope();
      const trace = traceId();
      const event = fullEvent(scope, trace, spanId());
      await store.append([event]);
      expect(await store.query('trace_spans', { ...scope, traceId: trace })).toEqual([event]);
    } finally {
      await store.shutdown();
      rmSync(oldDir, { recursive: true, force: true });
    }
  });

  it('keeps data across shutdown and a new store on the same data directory', async () => {
    const scope = freshScope();
    const trace = traceId();
    const event = fullEvent(scope, trace, spanId());
    const first = await startStore();
    await first.append([event]);
    await first.shutdown();
    const second = await startStore();
    try {
      expect(await second.query('trace_spans', { ...scope, traceId: trace })).toEqual([event]);
    } finally {
      await second.shutdown();
    }
  });

  it('counts a span once while its two inserts are still separate, unmerged parts', async () => {
    const store = await startStore();
    // A second connection on the same path, to hold merges and see the raw rows under FINAL.
    const raw = new Session(dataDir);
    try {
      await raw.queryAsync('SYSTEM STOP MERGES events');
      const scope = freshScope();
      const trace = traceId();
      const event = fullEvent(scope, trace, spanId());
      await store.append([event]);
      await store.append([event]);
      const rawRows = await raw.queryBindAsync(
        'SELECT count() AS n FROM events WHERE tenant_id = {t:String} AND project_id = {p:String}',
        { t: scope.tenantId, p: scope.projectId },
        { format: 'JSONEachRow' },
      );
      expect(rawRows.text().trim()).toBe('{"n":2}');
      expect(await store.query('span_count', scope)).toEqual([{ spans: 1 }]);
      expect(await store.query('trace_spans', { ...scope, traceId: trace })).toEqual([event]);
    } finally {
      await raw.queryAsync('SYSTEM START MERGES events');
      raw.close();
      await store.shutdown();
    }
  });

  it('binds parameters server-side, so quotes in them are data, not SQL', async () => {
    const store = await startStore();
    const scope = { tenantId: "x' OR 1=1 --", projectId: '{p:String}' };
    await store.append([fullEvent(scope, traceId(), spanId())]);
    expect(await store.query('span_count', scope)).toEqual([{ spans: 1 }]);
    expect(await store.query('span_count', { ...scope, tenantId: 'x' })).toEqual([{ spans: 0 }]);
    await store.shutdown();
  });

  it('creates the table with exactly the schema columns and types, as ClickHouse reports them', async () => {
    const store = await startStore();
    const raw = new Session(dataDir);
    try {
      const described = (await raw.queryAsync('DESCRIBE TABLE events', { format: 'JSONEachRow' })).text();
      const columns = described.trim().split('\n').map((line) => JSON.parse(line) as { name: string; type: string });
      expect(columns.map((c) => `${c.name} ${c.type}`)).toEqual([
        ...EVENT_COLUMNS.map((c) => `${c.name} ${c.clickhouseType}`),
        "ingested_at DateTime64(3, 'UTC')",
      ]);
    } finally {
      raw.close();
      await store.shutdown();
    }
  });

  it('rejects use before start', async () => {
    const store = new ChdbAnalyticsStore({ path: dataDir });
    await expect(store.append([fullEvent(freshScope(), traceId(), spanId())])).rejects.toThrow(/not started/);
  });
});
