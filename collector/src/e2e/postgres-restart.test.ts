/**
 * A real collector process on a private Postgres cluster (initdb in a temp dir, so the shared server
 * is untouched): Postgres is killed (`pg_ctl stop -m immediate`, crash-like) under load and started
 * again. During the outage clients get 503 + Retry-After, never a 500 and never a 200; afterwards the
 * same process accepts again without a restart, and every acknowledged span is stored exactly once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'chdb';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../testing/collector-process.ts';
import { jsonSpan, otlpJson, randomSpanId, randomTraceId } from '../testing/otlp-json.ts';
import { findPostgresBin, startTemporaryPostgres, type TemporaryPostgres } from '../testing/temporary-postgres.ts';

const SENDERS = 4;
const SPANS_PER_BATCH = 10;
const OUTAGE_MS = 3000;
/** Clients retry sooner than Retry-After asks, so the outage sees many requests. */
const CLIENT_RETRY_MS = 100;
/** Bounds, not speed assertions: how long recovery and the final drain may take at most. */
const RECOVERY_BOUND_MS = 30_000;
const DRAIN_BOUND_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One answer a client saw: when the request started and ended, and its status (0: connection error). */
interface Answer {
  startedAt: number;
  endedAt: number;
  status: number;
  retryAfter: string | null;
}

const bin = findPostgresBin();
/** What each test started, cleaned up even when it fails. */
interface Started {
  dataDir: string;
  postgres?: TemporaryPostgres;
  collector?: CollectorProcess;
}
const started: Started[] = [];
afterAll(async () => {
  for (const { postgres, collector, dataDir } of started) {
    await collector?.stop('SIGKILL');
    await postgres?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

describe.skipIf(!bin)(`Postgres stopped and restarted under load${bin ? '' : ' (skipped: no Postgres server binaries under /usr/lib/postgresql/*/bin)'}`, () => {
  // immediate: a crash (backends killed, WAL recovery on start); fast: a planned restart (sessions terminated).
  it.each(['immediate', 'fast'] as const)('stop -m %s: answers 503 during the outage, reconnects by itself and loses nothing acknowledged', async (mode) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-pg-restart-'));
    const resources: Started = { dataDir };
    started.push(resources);
    const postgres = (resources.postgres = await startTemporaryPostgres());
    const running = (resources.collector = await startCollectorProcess({
      DATABASE_URL: postgres.url, OBSERVA_DATA_DIR: dataDir, OBSERVA_ADMIN_PASSWORD: 'pg-restart-password',
      // A batch claimed before the crash whose delete was lost waits for its lease: keep that short here.
      OBSERVA_SHIPPER_POLL_MS: '100', OBSERVA_SHIPPER_LEASE_MS: '2000', OBSERVA_SHIPPER_MAX_BACKOFF_MS: '500',
    }));
    const keyLine = running.output().split('\n').find((line) => line.startsWith('OBSERVA_API_KEY='));
    const auth = { authorization: `Bearer ${keyLine!.slice('OBSERVA_API_KEY='.length)}` };

    const answers: Answer[] = [];
    const unexpected: string[] = [];
    const sentSpans = new Set<string>();
    const acknowledged = new Map<string, string[]>(); // trace id -> span ids of a batch answered 200
    let sending = true;

    /** Posts one trace per batch; retries the same batch (same span ids) until it is acknowledged. */
    const sender = async () => {
      while (sending) {
        const traceId = randomTraceId();
        const spanIds = Array.from({ length: SPANS_PER_BATCH }, () => randomSpanId());
        spanIds.forEach((id) => sentSpans.add(id));
        const body = JSON.stringify(otlpJson(spanIds.map((spanId, i) => jsonSpan({ traceId, spanId, name: `op ${i}` }))));
        for (;;) {
          const startedAt = Date.now();
          const response = await fetch(`${running.url}/v1/traces`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body })
            .catch(() => null); // the connection failed: the client cannot know, so it retries
          const answer = { startedAt, endedAt: Date.now(), status: response?.status ?? 0, retryAfter: response?.headers.get('retry-after') ?? null };
          const text = await response?.text();
          answers.push(answer);
          if (answer.status === 200) {
            acknowledged.set(traceId, spanIds);
            break;
          }
          if (answer.status !== 503 && answer.status !== 0) {
            unexpected.push(`${answer.status} ${text}`);
            break;
          }
          await sleep(CLIENT_RETRY_MS);
        }
      }
    };

    const health: { at: number; status: number }[] = [];
    const watchHealth = async () => {
      while (sending) {
        const status = await fetch(`${running.url}/healthz`).then((r) => r.status, () => 0);
        health.push({ at: Date.now(), status });
        await sleep(100);
      }
    };

    const load = [...Array.from({ length: SENDERS }, sender), watchHealth()];
    const loadDeadline = Date.now() + RECOVERY_BOUND_MS;
    while (acknowledged.size < SENDERS * 5) { // load is flowing before the stop
      expect(Date.now(), 'no load got through before the stop').toBeLessThan(loadDeadline);
      await sleep(50);
    }

    await postgres.stop(mode);
    const downAt = Date.now();
    await sleep(OUTAGE_MS / 2);
    const readDuringOutage = await fetch(`${running.url}/api/v1/traces?limit=5`, { headers: auth });
    await sleep(OUTAGE_MS / 2);
    const upStartsAt = Date.now();
    await postgres.start();
    const upAt = Date.now();

    // The same process accepts again: an ingest request started after Postgres came back is answered 200.
    while (!answers.some((a) => a.startedAt >= upAt && a.status === 200)) {
      expect(Date.now() - upAt, 'ingestion did not recover in time').toBeLessThan(RECOVERY_BOUND_MS);
      await sleep(50);
    }
    const recoveredAfterMs = answers.find((a) => a.startedAt >= upAt && a.status === 200)!.endedAt - upAt;
    await sleep(1000); // and keeps accepting under load
    sending = false;
    await Promise.all(load);

    // During the outage: retryable answers only. A request that started after the crash and was
    // answered before the restart began cannot have committed, so it must not be a 200.
    const duringOutage = answers.filter((a) => a.startedAt >= downAt && a.endedAt < upStartsAt);
    expect(duringOutage.length).toBeGreaterThan(0);
    expect(duringOutage.filter((a) => a.status !== 503).map((a) => a.status)).toEqual([]);
    expect(answers.filter((a) => a.status === 503 && a.retryAfter !== '5')).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(readDuringOutage.status).toBe(503);
    expect(readDuringOutage.headers.get('retry-after')).toBe('5');

    // Health: up, down during the outage, up again.
    expect(health.some((h) => h.at < downAt && h.status === 200)).toBe(true);
    expect(health.some((h) => h.at > downAt && h.at < upStartsAt && h.status === 503)).toBe(true);
    expect(health.some((h) => h.at > upAt && h.status === 200)).toBe(true);

    // The read API recovers, and the shipper drains the outbox without a restart.
    const read = await fetch(`${running.url}/api/v1/traces?limit=5`, { headers: auth });
    expect(read.status).toBe(200);
    const drainDeadline = Date.now() + DRAIN_BOUND_MS;
    for (;;) {
      const healthz = (await (await fetch(`${running.url}/healthz`)).json()) as { outbox: { rows: number } };
      if (healthz.outbox.rows === 0) break;
      expect(Date.now(), 'the outbox did not drain in time').toBeLessThan(drainDeadline);
      await sleep(100);
    }
    expect(running.child.exitCode).toBeNull(); // the process lived through it all
    expect(await running.stop('SIGTERM')).toBe(0);

    // Count by span id: the control plane (seen_spans, trace_summaries) and the analytics store.
    const ackedSpans = [...acknowledged.values()].flat();
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    const seen = new Set((await client.query('SELECT span_id FROM seen_spans')).rows.map((r) => r.span_id as string));
    const summaries = new Map((await client.query('SELECT trace_id, span_count FROM trace_summaries')).rows.map((r) => [r.trace_id as string, Number(r.span_count)]));
    await client.end();
    const session = new Session(path.join(dataDir, 'chdb'));
    const rows = async (sql: string) =>
      (await session.queryAsync(sql, { format: 'JSONEachRow' })).text().split('\n').filter(Boolean).map((line) => JSON.parse(line));
    let stored: Map<string, number>;
    let rawRows: number;
    try {
      // FINAL is how every read sees the table; the raw count also shows batches the shipper re-sent.
      stored = new Map((await rows('SELECT span_id, count() AS n FROM events FINAL GROUP BY span_id')).map((r) => [r.span_id, Number(r.n)]));
      rawRows = Number((await rows('SELECT count() AS n FROM events'))[0].n);
    } finally {
      session.close();
    }

    const lost = ackedSpans.filter((id) => !stored.has(id) || !seen.has(id)).length
      + [...acknowledged.keys()].reduce((n, traceId) => n + Math.max(0, SPANS_PER_BATCH - (summaries.get(traceId) ?? 0)), 0);
    const duplicated = [...stored.values()].filter((n) => n > 1).length
      + [...summaries.values()].reduce((n, count) => n + Math.max(0, count - SPANS_PER_BATCH), 0);
    const strangers = [...stored.keys()].filter((id) => !sentSpans.has(id)).length;
    const refused503 = answers.filter((a) => a.status === 503).length;
    const connectionErrors = answers.filter((a) => a.status === 0).length;
    console.log(`postgres restart (stop -m ${mode}): sent=${sentSpans.size} acknowledged=${ackedSpans.length} refused_503=${refused503} connection_errors=${connectionErrors} `
      + `stored=${stored.size} redelivered=${rawRows - stored.size} duplicated=${duplicated} lost=${lost} recovered_after_ms=${recoveredAfterMs}`);

    expect(refused503).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(strangers).toBe(0);
    // Every batch was retried until acknowledged, so everything sent is stored.
    expect(stored.size).toBe(sentSpans.size);
  }, 90_000);
});
