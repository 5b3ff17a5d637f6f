/**
 * The usage_hourly rollup, built on chDB from the very datafiles Tinybird deploys: what it gets
 * right, and the re-delivery it cannot absorb, which is why every pipe endpoint reads events FINAL.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../../events/canonical-event.ts';
import { freshScope } from '../analytics-store.fixtures.ts';
import { comparable, dashboardDataset } from '../dashboard-dataset.ts';
import { eventsToJsonEachRow } from '../event-row.ts';
import { ROW_DECODERS, pipeParams } from '../named-queries.ts';
import { datasourceDdl } from './datasource-ddl.ts';
import { TINYBIRD_DIR } from './events-datasource.ts';
import { parsePipe, renderPipe } from './render-pipe.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'observa-rollup-'));
const session = new Session(dataDir);
const datafile = (name: string) => readFileSync(new URL(name, TINYBIRD_DIR), 'utf8');
// Insert tokens are remembered per table for this many blocks (MergeTree without replication).
const DEDUP = ['non_replicated_deduplication_window = 1000'];

beforeAll(async () => {
  await session.queryAsync(datasourceDdl('events', datafile('datasources/events.datasource'), DEDUP));
  await session.queryAsync(datasourceDdl('usage_hourly', datafile('datasources/usage_hourly.datasource'), DEDUP));
  const mv = renderPipe(parsePipe(datafile('pipes/usage_hourly_mv.pipe')), {});
  await session.queryAsync(`CREATE MATERIALIZED VIEW usage_hourly_mv TO usage_hourly AS ${mv.sql}`);
});
afterAll(() => {
  session.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A deterministic token per batch: the same rows re-sent carry the same token. */
const tokenOf = (events: CanonicalEvent[]) =>
  createHash('sha256').update(events.map((e) => [e.tenant_id, e.project_id, e.trace_id, e.span_id].join('\u0000')).join('\n')).digest('hex');

const insert = (events: CanonicalEvent[]) =>
  session.insert({
    table: 'events',
    values: Buffer.from(eventsToJsonEachRow(events)),
    format: 'JSONEachRow',
    settings: { date_time_input_format: 'best_effort', insert_deduplication_token: tokenOf(events), deduplicate_blocks_in_dependent_materialized_views: 1 },
  });

describe('usage_hourly on chDB', () => {
  const dataset = dashboardDataset(freshScope());
  const { scope } = dataset;
  const breakdown = dataset.cases.find((c) => c.name === 'model_breakdown')!;
  const latency = dataset.cases.find((c) => c.title === 'latency_percentiles per model')!;
  const range = { date_from: '2025-03-01 10:00:00', date_to: '2025-03-01 12:00:00' };

  // model_breakdown's answer, read from the rollup with -Merge.
  const fromRollup = async () => {
    const result = await session.queryBindAsync(
      `SELECT provider, model, countMerge(requests) AS requests, sumMerge(input_tokens) AS input_tokens,
              sumMerge(output_tokens) AS output_tokens, sumMerge(total_tokens) AS total_tokens,
              sumMerge(cost_usd) AS cost_usd, countMerge(errors) AS errors,
              quantilesMerge(0.5, 0.95, 0.99)(latency_ms) AS latency
       FROM usage_hourly
       WHERE tenant_id = {t:String} AND project_id = {p:String} AND model != ''
         AND hour >= {date_from:DateTime('UTC')} AND hour < {date_to:DateTime('UTC')}
       GROUP BY provider, model ORDER BY cost_usd DESC, total_tokens DESC, provider, model`,
      { t: scope.tenantId, p: scope.projectId, ...range },
      { format: 'JSONEachRow' },
    );
    return result.text().trim().split('\n').map((line) => JSON.parse(line));
  };
  const expectedRollup = () =>
    (breakdown.expected as { model: string }[]).map((row) => {
      const l = (latency.expected as { model: string; p50_ms: number; p95_ms: number; p99_ms: number }[]).find((r) => r.model === row.model)!;
      return { ...row, latency: [l.p50_ms, l.p95_ms, l.p99_ms] };
    });
  const fromEventsFinal = async () => {
    const { sql, params } = renderPipe(parsePipe(datafile('pipes/model_breakdown.pipe')), pipeParams({ ...scope, fromMs: Date.parse('2025-03-01T10:00:00Z'), toMs: Date.parse('2025-03-01T12:00:00Z') }));
    const text = (await session.queryBindAsync(sql, params, { format: 'JSONEachRow' })).text().trim();
    return text.split('\n').map((line) => ROW_DECODERS.model_breakdown(JSON.parse(line)));
  };

  it('materializes the same totals and percentiles as the endpoints compute, when each span arrives once', async () => {
    for (const batch of dataset.batches) await insert(batch);
    expect(comparable(await fromRollup())).toEqual(comparable(expectedRollup()));
  });

  it('absorbs a batch re-delivered whole: same rows, same insert_deduplication_token', async () => {
    await insert(dataset.batches[0]);
    expect(comparable(await fromRollup())).toEqual(comparable(expectedRollup()));
  });

  it('counts a span again when it comes back in another batch, while events FINAL still counts it once', async () => {
    const call = dataset.batches[0][0]; // a gpt-4o call, as the shipper re-sends one row of a failed group
    await insert([call]);
    const gpt = (await fromRollup()).find((r) => r.model === 'gpt-4o');
    expect(gpt.requests).toBe(4); // 3 calls
    expect(comparable(await fromEventsFinal())).toEqual(comparable(breakdown.expected));
  });
});
