/**
 * TinybirdAnalyticsStore end to end through the Tinybird double (wire-faithful Events API and pipe
 * endpoints over chDB, serving the repository's schemas/tinybird pipes): append, then read back through
 * pipes with tenant-fixed JWTs; and the shared conformance suite, so Tinybird cannot drift from chDB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAnalyticsStoreConformance } from '../analytics-store.conformance.ts';
import { AnalyticsAppendError } from '../analytics-store.ts';
import { freshScope, fullEvent, spanId, traceId } from '../analytics-store.fixtures.ts';
import { ChdbAnalyticsStore } from '../chdb/chdb-store.ts';
import { describeDashboardQueriesConformance } from '../dashboard-queries.conformance.ts';
import { appendDashboardDataset, comparable, dashboardDataset, runDashboardCase } from '../dashboard-dataset.ts';
import { startTinybirdDouble, type TinybirdDouble } from './double/tinybird-double.ts';
import { TinybirdAnalyticsStore } from './tinybird-store.ts';

let double: TinybirdDouble;
let chdb: ChdbAnalyticsStore;
const tokens = { appendToken: 'p.e2e-append', adminToken: 'p.e2e-admin', workspaceId: 'ws-e2e' };
// chDB opens one directory per process: the double (database `tinybird`) and a chDB store (database
// `default`) share it, so one process compares the two transports on the same engine.
const dataDir = mkdtempSync(path.join(tmpdir(), 'observa-tb-e2e-'));

beforeAll(async () => {
  double = await startTinybirdDouble({ ...tokens, dataDir });
  chdb = new ChdbAnalyticsStore({ path: dataDir });
  await chdb.start();
});
afterAll(async () => {
  await chdb?.shutdown();
  await double?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function started(overrides: Partial<typeof tokens> = {}) {
  const target = { host: double.host, ...tokens, ...overrides };
  const store = new TinybirdAnalyticsStore({ targets: { forTenant: async () => target }, batchRows: 5000, batchBytes: 8e6, timeoutMs: 10_000 });
  await store.start();
  return store;
}

describe('Tinybird store through the double', () => {
  it('appends, then reads back through pipes, one tenant at a time', async () => {
    const store = await started();
    const mine = freshScope();
    const theirs = { ...freshScope(), projectId: mine.projectId };
    const trace = traceId();
    const events = [fullEvent(mine, trace, spanId()), fullEvent(mine, trace, spanId()), fullEvent(theirs, trace, spanId())];
    expect(await store.append(events)).toEqual({ quarantinedRows: 0 });
    expect(await store.query('span_count', mine)).toEqual([{ spans: 2 }]);
    const spans = await store.query('trace_spans', { ...mine, traceId: trace });
    expect(spans.map((s) => s.span_id).sort()).toEqual([events[0].span_id, events[1].span_id].sort());
    expect(spans[0]).toMatchObject({ tenant_id: mine.tenantId, model: events[0].model, input: events[0].input });
    await store.shutdown();
  });

  it('a wrong append token is a permanent refusal carrying the double\'s reason', async () => {
    const store = await started({ appendToken: 'p.not-a-token' });
    const error = await store.append([fullEvent(freshScope(), traceId(), spanId())]).catch((err) => err);
    expect(error).toBeInstanceOf(AnalyticsAppendError);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('403');
    await store.shutdown();
  });
});

describeAnalyticsStoreConformance('tinybird (double)', () => started());
describeDashboardQueriesConformance('tinybird (double)', () => started());

describe('one query layer, two transports', () => {
  it('gives identical results for every dashboard query through chDB and through Tinybird', async () => {
    const tinybird = await started();
    const dataset = dashboardDataset(freshScope());
    await appendDashboardDataset(chdb, dataset);
    await appendDashboardDataset(tinybird, dataset);
    for (const c of dataset.cases) {
      const [viaChdb, viaTinybird] = await Promise.all([runDashboardCase(chdb, c), runDashboardCase(tinybird, c)]);
      expect(comparable(viaTinybird), c.title).toEqual(comparable(viaChdb));
      expect(viaChdb.length, `${c.title}: returns rows`).toBeGreaterThan(0);
    }
    await tinybird.shutdown();
  });
});
