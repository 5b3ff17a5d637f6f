/**
 * The ingestion bounds through a real in-process collector (chDB, PGlite or TEST_DATABASE_URL): the
 * outbox backlog bound refuses with 503 + Retry-After before reading the body and lifts once the
 * backlog drains; slow bodies hold in-flight slots, the cap refuses the next one with 429, and a
 * stalled or trickling client is cut (408) and its slot freed. Clients that stall use raw sockets.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';

let collector: TestCollector;

beforeAll(async () => {
  collector = await startTestCollector({
    env: {
      OBSERVA_MAX_OUTBOX_ROWS: '5',
      OBSERVA_MAX_INFLIGHT_BODIES: '2',
      OBSERVA_BODY_IDLE_TIMEOUT_MS: '1000',
      OBSERVA_REQUEST_TIMEOUT_MS: '3000',
      OBSERVA_HEADERS_TIMEOUT_MS: '2000',
    },
  });
}, 60_000);
afterAll(async () => {
  await collector?.close();
});

const SPANS_PER_REQUEST = 2;
const traceBody = () => JSON.stringify(otlpJson(Array.from({ length: SPANS_PER_REQUEST }, (_, i) => jsonSpan({ traceId: randomTraceId(), name: `s${i}` }))));
/** Spans acknowledged (200) over the whole file: the store must end up with exactly these. */
let acknowledgedSpans = 0;
async function sendTraces(): Promise<Response> {
  const response = await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: traceBody() });
  if (response.status === 200) acknowledgedSpans += SPANS_PER_REQUEST;
  return response;
}
const ingestion = async () => ((await (await fetch(`${collector.url}/healthz`)).json()) as any).ingestion;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * A client on a raw socket: sends the request head and the body's first bytes, then only what the
 * test writes. `answer` resolves with the status line's code once the response head arrives.
 */
function slowClient(body: string, firstBytes: number) {
  const { hostname, port } = new URL(collector.url);
  const socket = net.connect(Number(port), hostname);
  socket.on('error', () => {}); // the server may cut it: that is what some tests wait for
  socket.write(`POST /v1/traces HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${collector.apiKey}\r\n`
    + `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, firstBytes)}`);
  let received = '';
  const answer = new Promise<number>((resolve, reject) => {
    socket.on('data', (chunk) => {
      received += chunk;
      if (received.includes('\r\n\r\n')) resolve(Number(received.split(' ')[1]));
    });
    socket.on('close', () => reject(new Error(`connection closed without an answer: ${JSON.stringify(received)}`)));
  });
  answer.catch(() => {});
  let sent = firstBytes;
  let trickle: NodeJS.Timeout | undefined;
  return {
    answer,
    /** Sends one more body byte every `everyMs` (never the last one) until stopped. */
    trickle(everyMs: number) {
      trickle = setInterval(() => sent < body.length - 1 && socket.write(body[sent++]), everyMs);
    },
    stopTrickling: () => clearInterval(trickle),
    close() {
      clearInterval(trickle);
      socket.destroy();
    },
  };
}

describe('ingestion bounds', () => {
  it('caps bodies in flight: the next one gets 429 + Retry-After; stalled ones get 408 and free their slots', async () => {
    const slow = [slowClient(traceBody(), 10), slowClient(traceBody(), 10)];
    try {
      slow.forEach((client) => client.trickle(200)); // a byte every 200 ms: never idle for the 1 s timeout
      await waitFor('two bodies in flight', async () => (await ingestion()).in_flight.bodies === 2);
      const refused = await sendTraces();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as any).message).toMatch(/2 bodies \(OBSERVA_MAX_INFLIGHT_BODIES=2\)/);

      slow.forEach((client) => client.stopTrickling()); // now they stall: each is cut after 1 s without a byte
      const timedOut = await Promise.all(slow.map((client) => client.answer));
      expect(timedOut).toEqual([408, 408]);
      await waitFor('slots freed', async () => (await ingestion()).in_flight.bodies === 0);
      const after = await sendTraces();
      expect(after.status).toBe(200);
      const state = (await ingestion()).in_flight;
      console.log(`in-flight cap: slow_clients=2 refused_429=${state.refused} timed_out_408=${timedOut.length} slots_after=${state.bodies} accepted_after=1`);
      expect(state).toMatchObject({ bodies: 0, bytes: 0, refused: 1 });
    } finally {
      slow.forEach((client) => client.close());
    }
  }, 30_000);

  it('cuts a client that trickles its body past the request timeout (408) and frees its slot', async () => {
    const client = slowClient(traceBody(), 10);
    try {
      client.trickle(100); // never idle, but never done
      await waitFor('the body in flight', async () => (await ingestion()).in_flight.bodies === 1);
      expect(await client.answer).toBe(408); // Node's requestTimeout (3 s here)
      await waitFor('its slot freed', async () => (await ingestion()).in_flight.bodies === 0);
    } finally {
      client.close();
    }
  }, 30_000);

  it('refuses with 503 + Retry-After before reading the body once the backlog reaches the bound, and recovers when it drains', async () => {
    await collector.shipper.shutdown(); // the analytics store "falls behind": nothing ships
    let acknowledged = 0;
    let refused: Response | null = null;
    for (let i = 0; i < 100 && !refused; i++) {
      const response = await sendTraces();
      if (response.status === 200) acknowledged += 1;
      else refused = response;
      await sleep(50); // the backlog is read at most once a second
    }
    expect(refused?.status).toBe(503);
    expect(refused!.headers.get('retry-after')).toBe('5');
    expect(((await refused!.json()) as any).message).toMatch(/outbox .* holds \d+ rows, at or over OBSERVA_MAX_OUTBOX_ROWS=5/);
    // Admitted requests count as rows until the next reading; one in flight as a reading starts may be missed.
    expect(acknowledged).toBeGreaterThanOrEqual(5);
    expect(acknowledged).toBeLessThanOrEqual(6);
    // A client that sends no body at all is answered at once: 503, not the 408 that reading would give.
    const stalled = slowClient(traceBody(), 0);
    expect(await stalled.answer).toBe(503);
    stalled.close();
    const paused = await ingestion();
    expect(paused).toMatchObject({ accepting: false, outbox: { max_rows: 5, over: true } });
    expect(paused.outbox.rows).toBeGreaterThanOrEqual(5); // a reading up to a second old
    expect((await collector.shipper.backlog()).rows).toBe(acknowledged); // every acknowledged batch waits in the outbox

    collector.shipper.start(); // the store catches up
    let refusedWhileDraining = 0;
    await waitFor('ingestion accepted again', async () => {
      const response = await sendTraces();
      if (response.status !== 200) refusedWhileDraining += 1;
      return response.status === 200;
    });
    await collector.shipped();
    const [{ spans: stored }] = await collector.analytics.query('span_count', { tenantId: collector.tenantId, projectId: collector.projectId });
    const state = await ingestion();
    console.log(`outbox bound: acknowledged_during_pause=${acknowledged} refused_503=${state.refused.outbox} acknowledged_spans=${acknowledgedSpans} stored_spans=${stored}`);
    expect(state).toMatchObject({ accepting: true, outbox: { over: false } });
    expect(state.refused.outbox).toBe(2 + refusedWhileDraining);
    expect(stored).toBe(acknowledgedSpans);
  }, 60_000);
});
