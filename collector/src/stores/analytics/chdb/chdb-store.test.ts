import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Session } from 'chdb';
import { afterAll, describe, expect, it } from 'vitest';
import { describeAnalyticsStoreConformance } from '../analytics-store.conformance.ts';
import { freshScope, fullEvent, spanId, traceId } from '../analytics-store.fixtures.ts';
import { describeDashboardQueriesConformance } from '../dashboard-queries.conformance.ts';
import { EVENT_COLUMNS } from '../event-columns.ts';
import { EVENTS_TABLE } from '../events-table.ts';
import { eventsToJsonEachRow } from '../event-row.ts';
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
describeDashboardQueriesConformance('chdb', startStore);

describe('ChdbAnalyticsStore', () => {
  it('adds schema columns missing from a table created by an older version, and re-sorts it under the current key', async () => {
    const oldDir = mkdtempSync(path.join(tmpdir(), 'observa-chdb-old-'));
    // Its own directory: chDB opens one path per process, and this file's other stores are shut down between tests.
    const older = new Session(oldDir);
    await older.queryAsync('CREATE TABLE events (tenant_id String, project_id String, trace_id String, span_id String, start_time DateTime64(9, \'UTC\'), ingested_at DateTime64(3, \'UTC\') DEFAULT now64(3)) ENGINE = ReplacingMergeTree(ingested_at) ORDER BY (tenant_id, project_id, trace_id, span_id)');
    await older.queryAsync("INSERT INTO events (tenant_id, project_id, trace_id, span_id, start_time) VALUES ('kept', 'kept', 't', 's', now())");
    older.close();
    const store = new ChdbAnalyticsStore({ path: oldDir });
    try {
      await store.start();
      const scope = freshScope();
      const trace = traceId();
      const event = fullEvent(scope, trace, spanId());
      await store.append([event]);
      expect(await store.query('trace_spans', { ...scope, traceId: trace })).toEqual([event]);
      await store.shutdown();
      const raw = new Session(oldDir);
      const read = async (sql: string) => (await raw.queryAsync(sql, { format: 'JSONEachRow' })).text().trim();
      try {
        expect(await read("SELECT engine_full LIKE '%TTL toDateTime(ingested_at) + toIntervalDay(retention_days)%' AS ttl FROM system.tables WHERE database = currentDatabase() AND name = 'events'")).toBe('{"ttl":1}');
        expect(await read("SELECT sorting_key FROM system.tables WHERE database = currentDatabase() AND name = 'events'")).toBe(JSON.stringify({ sorting_key: EVENTS_TABLE.orderBy.join(', ') }));
        expect(await read("SELECT count() AS n FROM events WHERE tenant_id = 'kept'")).toBe('{"n":1}');
        // A row written before the column existed keeps the default retention, not 0 days.
        await raw.queryAsync("INSERT INTO events (tenant_id, project_id, trace_id, span_id, start_time) VALUES ('old', 'old', 't', 's', now())");
        expect(await read("SELECT retention_days FROM events WHERE tenant_id = 'old'")).toBe('{"retention_days":30}');
      } finally {
        raw.close();
      }
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
      expect(EVENT_COLUMNS.map((c) => c.name)).toContain('retention_days');
    } finally {
      raw.close();
      await store.shutdown();
    }
  });

  it('keeps each row for its retention_days after it arrived', async () => {
    const store = await startStore();
    const raw = new Session(dataDir);
    try {
      const scope = freshScope();
      const kept = fullEvent(scope, traceId(), spanId(), { retention_days: 2 });
      const expired = fullEvent(scope, traceId(), spanId(), { retention_days: 1 });
      // Rows as if they had arrived 36 hours ago (ingested_at is the store's own column).
      const rows = eventsToJsonEachRow([kept, expired]).split('\n').map((line) => ({ ...JSON.parse(line), ingested_at: new Date(Date.now() - 36 * 3600_000).toISOString() }));
      await raw.insert({ table: 'events', values: Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')), format: 'JSONEachRow', settings: { date_time_input_format: 'best_effort' } });
      await raw.queryAsync('OPTIMIZE TABLE events FINAL');
      expect(await store.query('span_count', scope)).toEqual([{ spans: 1 }]);
      expect(await store.query('trace_spans', { ...scope, traceId: kept.trace_id })).toEqual([kept]);
    } finally {
      raw.close();
      await store.shutdown();
    }
  });

  it('refuses a query without its tenant, naming the parameter', async () => {
    const store = await startStore();
    try {
      await expect(store.query('span_count', { projectId: 'p' } as never)).rejects.toThrow('[Error] Missing required parameter: tenant_id');
    } finally {
      await store.shutdown();
    }
  });

  it('rejects use before start', async () => {
    const store = new ChdbAnalyticsStore({ path: dataDir });
    await expect(store.append([fullEvent(freshScope(), traceId(), spanId())])).rejects.toThrow(/not started/);
  });
});
