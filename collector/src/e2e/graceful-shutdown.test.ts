/**
 * SIGTERM in the middle of a load, on a real collector process: it stops accepting, answers the
 * requests it had started (200, Connection: close), refuses requests that arrive on open connections
 * with 503 + Retry-After, flushes the outbox and exits 0 within OBSERVA_SHUTDOWN_TIMEOUT_MS. Every
 * acknowledged span is in the analytics store once, and the next start finds nothing left to ship.
 * A request whose body never ends is cut at the timeout; a second SIGTERM exits at once; a store
 * that hangs does not hold the shutdown past its deadline, and the outbox keeps what was not shipped.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../testing/collector-process.ts';
import { createTestDatabase } from '../testing/test-database.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';
import { chdbSpanCopies, formatTally, startSpanLoad, tally, unretryableRefusals, wrongTraceSummaries } from '../testing/span-load.ts';
import { openDatabase } from '../stores/control/database.ts';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { startTestCollector } from '../testing/test-collector.ts';

const TIMEOUT_MS = 10_000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-shutdown-'));
const database = await createTestDatabase();
const running: CollectorProcess[] = [];
afterAll(async () => {
  for (const c of running) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await database.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const env = {
  OBSERVA_DATA_DIR: dataDir, DATABASE_URL: database.url ?? '', OBSERVA_ADMIN_PASSWORD: 'shutdown-password',
  OBSERVA_SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS), OBSERVA_RATE_LIMIT_INGEST_TENANT: '0', OBSERVA_RATE_LIMIT_INGEST_IP: '0',
};
let apiKey = '';

async function start(extra: Record<string, string> = {}): Promise<CollectorProcess> {
  const collector = await startCollectorProcess({ ...env, ...extra });
  running.push(collector);
  apiKey ||= /^OBSERVA_API_KEY=(.+)$/m.exec(collector.output())![1];
  return collector;
}

/**
 * An HTTP/1.1 request written by hand on its own connection, so a test controls when each byte is
 * sent: `send(part)` writes, `answer` resolves with the status line and headers once the server closes.
 */
function rawRequest(url: string) {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  let received = '';
  socket.on('data', (chunk) => (received += chunk));
  const answer = new Promise<{ status: number; headers: Record<string, string>; reset: boolean }>((resolve) => {
    let reset = false;
    socket.on('error', () => (reset = true));
    socket.on('close', () => {
      const [head = ''] = received.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, reset });
    });
  });
  return {
    connected: once(socket, 'connect'),
    send: (part: string) => new Promise<void>((resolve) => socket.write(part, () => resolve())),
    answer,
  };
}

function traceRequest(url: string): { head: string; body: string; traceId: string } {
  const traceId = randomTraceId();
  const body = JSON.stringify(otlpJson([jsonSpan({ traceId, name: 'in flight at SIGTERM' })]));
  const head = `POST /v1/traces HTTP/1.1\r\nHost: ${new URL(url).host}\r\nAuthorization: Bearer ${apiKey}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return { head, body, traceId };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('drains in-flight requests and the outbox on SIGTERM, then exits 0; the next start has nothing left to ship', async () => {
  const collector = await start();
  // Started before SIGTERM, finished after it: headers and half the body now, the rest during the drain.
  const inFlight = rawRequest(collector.url);
  const inFlightRequest = traceRequest(collector.url);
  await inFlight.connected;
  await inFlight.send(inFlightRequest.head + inFlightRequest.body.slice(0, 20));
  // Arriving on an open connection during the drain: half the request line now, the rest after SIGTERM.
  const late = rawRequest(collector.url);
  const lateRequest = traceRequest(collector.url);
  await late.connected;
  await late.send(lateRequest.head.slice(0, 10));

  const load = startSpanLoad({ targets: [collector.url], apiKey, senders: 4 });
  await load.acknowledgedAtLeast(30);
  const exited = once(collector.child, 'exit');
  const signalledAt = Date.now();
  collector.child.kill('SIGTERM');
  await pause(300);
  await inFlight.send(inFlightRequest.body.slice(20));
  await late.send(lateRequest.head.slice(10) + lateRequest.body);
  const [code] = await exited;
  const exitMs = Date.now() - signalledAt;
  await load.stop();

  expect(code).toBe(0);
  expect(exitMs).toBeLessThan(TIMEOUT_MS);
  expect(await inFlight.answer).toMatchObject({ status: 200, headers: { connection: 'close' }, reset: false });
  expect(await late.answer).toMatchObject({ status: 503, headers: { connection: 'close', 'retry-after': '5' }, reset: false });

  // The load's requests: answered 200, or 429/503 + Retry-After (draining, backpressure), or never
  // reaching the server (connection refused once the port closed, or an idle kept-alive connection
  // closed as the client reused it: nothing was acknowledged and OTel exporters retry both).
  const refused = load.batches.filter((b) => b.outcome === 'refused');
  expect(unretryableRefusals(load.batches)).toEqual([]);
  const unanswered = load.batches.filter((b) => b.outcome === 'failed');
  const reasons = [...new Set(unanswered.map((b) => b.error))];
  // Errors OTel exporters retry (UND_ERR_SOCKET is undici's name for a connection closed under a request).
  expect(reasons.filter((r) => !['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(r!))).toEqual([]);

  // Everything acknowledged was shipped by the flush, before the exit: the outbox is empty.
  const db = await openDatabase(database.url, dataDir);
  const [{ rows: outboxRows }] = await db('ingest_outbox').count({ rows: '*' });
  const batches = [...load.batches, { traceId: inFlightRequest.traceId, spanIds: [JSON.parse(inFlightRequest.body).resourceSpans[0].scopeSpans[0].spans[0].spanId], target: collector.url, outcome: 'acknowledged' as const, status: 200, retryAfter: null }];
  const wrongSummaries = await wrongTraceSummaries(db, batches).finally(() => db.destroy());
  const t = tally(batches, await chdbSpanCopies(path.join(dataDir, 'chdb')));
  console.log(`${formatTally('graceful-shutdown', t)} exit=${code} exit_ms=${exitMs} refused=${refused.length} unanswered=${unanswered.length} (${reasons.join(', ')}) outbox_left=${outboxRows}`);
  expect(Number(outboxRows)).toBe(0);
  expect(t.lost).toBe(0);
  expect(t.duplicated).toBe(0);
  expect(wrongSummaries).toEqual([]);

  // The next start on the same data dir and database serves what was acknowledged.
  const again = await start();
  const detail = await fetch(`${again.url}/api/v1/traces/${inFlightRequest.traceId}`, { headers: { authorization: `Bearer ${apiKey}` } });
  expect(((await detail.json()) as { spans: unknown[] }).spans).toHaveLength(1);
  expect(await again.stop('SIGTERM')).toBe(0);
}, 60_000);

it('cuts a request whose body never ends at the timeout and exits 0; a second SIGTERM exits at once', async () => {
  const collector = await start({ OBSERVA_SHUTDOWN_TIMEOUT_MS: '1500' });
  const stuck = rawRequest(collector.url);
  const request = traceRequest(collector.url);
  await stuck.connected;
  await stuck.send(request.head + request.body.slice(0, 20));
  await pause(200);
  const exited = once(collector.child, 'exit');
  collector.child.kill('SIGTERM');
  expect((await exited)[0]).toBe(0);
  expect((await stuck.answer).status).toBe(0); // cut, never acknowledged: the client retries

  const second = await start({ OBSERVA_SHUTDOWN_TIMEOUT_MS: '60000' });
  const held = rawRequest(second.url);
  await held.connected;
  await held.send(request.head + request.body.slice(0, 20));
  await pause(200);
  const secondExit = once(second.child, 'exit');
  second.child.kill('SIGTERM');
  await pause(300);
  second.child.kill('SIGTERM');
  expect((await secondExit)[0]).toBe(1);
  await held.answer;
}, 60_000);

it('stops within the timeout while the analytics store hangs, leaving what it could not ship in the outbox', async () => {
  // In-process: a store whose appends never end (an unreachable Tinybird until its own timeout).
  class HangingStore extends InMemoryAnalyticsStore {
    override append = () => new Promise<never>(() => {});
  }
  const collector = await startTestCollector({ analytics: new HangingStore(), env: { OBSERVA_SHUTDOWN_TIMEOUT_MS: '1000' } });
  try {
    for (let i = 0; i < 3; i++) {
      const response = await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson([jsonSpan()])) });
      expect(response.status).toBe(200);
    }
    const stoppedAt = Date.now();
    await collector.stop();
    const stopMs = Date.now() - stoppedAt;
    const db = await openDatabase(collector.config.databaseUrl, collector.dataDir);
    const [{ rows }] = await db('ingest_outbox').count({ rows: '*' }).finally(() => db.destroy());
    console.log(`graceful-shutdown (hanging store): acknowledged_batches=3 outbox_left=${rows} stop_ms=${stopMs}`);
    expect(Number(rows)).toBe(3);
    expect(stopMs).toBeLessThan(1000 + 2000); // the deadline, plus closing the stores
  } finally {
    await collector.close();
  }
});
