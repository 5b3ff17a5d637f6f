/**
 * The OTLP/gRPC receiver's contract, through a raw grpc-js client sending bytes: every refusal with the
 * gRPC status an OTLP exporter acts on (and RetryInfo where it should wait), partial success, the size
 * limit after decompression, and the admission it shares with OTLP/HTTP (same counters, same /healthz).
 * The tests run in order on one collector: the per-tenant rate limit test comes last, as it uses the
 * tenant's minute up.
 */
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTraceRequest } from '../fuzz/otlp-protobuf-encoder.ts';
import { ProtoReader, WireType } from '../otlp/protobuf-reader.ts';
import { RETRY_INFO_TYPE_URL } from '../otlp/rpc-status.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { grpcErrorOf, OTLP_GRPC_SERVICES, startOtlpGrpcServer } from './otlp-grpc.ts';
import { peerAddress } from './otlp-grpc-admission.ts';

const LIMIT = 256 * 1024;
const MAX_OUTBOX_ROWS = 20;
const INGEST_PER_TENANT_PER_MINUTE = 60;

let collector: TestCollector;
let client: Client;
let gzipClient: Client;

beforeAll(async () => {
  collector = await startTestCollector({
    env: { OBSERVA_MAX_BODY_BYTES: String(LIMIT), OBSERVA_MAX_OUTBOX_ROWS: String(MAX_OUTBOX_ROWS), OBSERVA_RATE_LIMIT_INGEST_TENANT: String(INGEST_PER_TENANT_PER_MINUTE) },
  });
  client = new Client(collector.grpcUrl!, credentials.createInsecure());
  gzipClient = new Client(collector.grpcUrl!, credentials.createInsecure(), { 'grpc.default_compression_algorithm': 2 }); // gzip
}, 60_000);
afterAll(async () => {
  client?.close();
  gzipClient?.close();
  await collector?.close();
});

interface Answer {
  error: ServiceError | null;
  response: Buffer | null;
}

const identity = (bytes: Buffer) => bytes;

function exportCall(service: string, message: Uint8Array, metadata: Record<string, string> = { authorization: `Bearer ${collector.apiKey}` }, via = client): Promise<Answer> {
  const md = new Metadata();
  for (const [key, value] of Object.entries(metadata)) md.set(key, value);
  return new Promise((resolve) => {
    const bytes = Buffer.isBuffer(message) ? message : Buffer.from(message); // no copy of a large test message
    via.makeUnaryRequest(`/${service}/Export`, identity, identity, bytes, md, (error, response) => resolve({ error: error ?? null, response: response ?? null }));
  });
}

const traceRequest = (spans: object[]) => encodeTraceRequest(otlpJson(spans));
const exportTraces = (message: Uint8Array, metadata?: Record<string, string>, via?: Client) => exportCall(OTLP_GRPC_SERVICES.traces, message, metadata, via);
const ingestion = async () => ((await (await fetch(`${collector.url}/healthz`)).json()) as any).ingestion;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fields of one protobuf message: varints as numbers, length-delimited values as bytes. */
function fieldsOf(bytes: Uint8Array): Map<number, (number | Uint8Array)[]> {
  const reader = new ProtoReader(bytes);
  const fields = new Map<number, (number | Uint8Array)[]>();
  while (reader.more()) {
    const tag = reader.tag();
    const value = (tag & 7) === WireType.VARINT ? Number(reader.int64()) : (tag & 7) === WireType.LEN ? reader.bytes() : (reader.skip(tag), NaN);
    fields.set(tag >>> 3, [...(fields.get(tag >>> 3) ?? []), value]);
  }
  return fields;
}
const text = (value: number | Uint8Array | undefined) => Buffer.from(value as Uint8Array).toString('utf8');

/** grpc-status-details-bin as {code, message, retryDelaySeconds} (google.rpc.Status with a RetryInfo detail). */
function statusDetails(error: ServiceError) {
  const [bin] = error.metadata.get('grpc-status-details-bin');
  if (!bin) return null;
  const rpcStatus = fieldsOf(bin as Buffer);
  const details = (rpcStatus.get(3) ?? []).map((any) => fieldsOf(any as Uint8Array));
  const retryInfo = details.find((any) => text(any.get(1)?.[0]) === RETRY_INFO_TYPE_URL);
  const duration = retryInfo ? fieldsOf(fieldsOf(retryInfo.get(2)![0] as Uint8Array).get(1)![0] as Uint8Array) : null;
  return { code: rpcStatus.get(1)?.[0], message: text(rpcStatus.get(2)?.[0]), retryDelaySeconds: duration ? (duration.get(1)?.[0] ?? 0) : null };
}

/** The trace's summary through the JSON API, or null while it is not there. */
async function traceSummary(traceId: string) {
  const response = await collector.request(`/api/v1/traces/${traceId}`);
  return response.status === 200 ? ((await response.json()) as any).trace : null;
}

describe('accepted exports', () => {
  it('stores the spans and answers an empty ExportTraceServiceResponse, releasing the in-flight slot', async () => {
    const traceId = randomTraceId();
    const answer = await exportTraces(traceRequest([jsonSpan({ traceId, name: 'over-grpc' })]));
    expect(answer.error).toBeNull();
    expect(answer.response!.length).toBe(0); // partial_success unset
    expect((await traceSummary(traceId)).name).toBe('over-grpc');
    expect((await ingestion()).in_flight).toMatchObject({ bodies: 0, bytes: 0 });
  });

  it('reports the invalid spans of a batch as partial success and stores the rest', async () => {
    const traceId = randomTraceId();
    const spans = [jsonSpan({ traceId, name: 'good-1' }), { ...jsonSpan({ name: 'bad' }), traceId: 'abcd' }, jsonSpan({ traceId, name: 'good-2', startMs: Date.now() + 5 })];
    const answer = await exportTraces(traceRequest(spans), { 'x-observa-api-key': collector.apiKey });
    expect(answer.error).toBeNull();
    // ExportTraceServiceResponse{partial_success=1{rejected_spans=1, error_message=2}}
    const partial = fieldsOf(fieldsOf(answer.response!).get(1)![0] as Uint8Array);
    expect(partial.get(1)).toEqual([1]);
    expect(text(partial.get(2)![0])).toMatch(/span 1: trace_id/);
    expect((await traceSummary(traceId)).span_count).toBe(2);
  });

  it('takes gzip-compressed messages', async () => {
    const traceId = randomTraceId();
    const answer = await exportTraces(traceRequest([jsonSpan({ traceId, name: 'gzipped' })]), undefined, gzipClient);
    expect(answer.error).toBeNull();
    expect((await traceSummary(traceId)).name).toBe('gzipped');
  });
});

describe('refused exports', () => {
  const message = () => traceRequest([jsonSpan()]);

  it('UNAUTHENTICATED without a key, with an invalid key and with a revoked key', async () => {
    const missing = await exportTraces(message(), {});
    expect(missing.error).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringMatching(/missing API key/) });
    expect((await exportTraces(message(), { authorization: 'Bearer nonsense' })).error?.code).toBe(status.UNAUTHENTICATED);

    const created = await collector.apiKeys.create({ tenantId: collector.tenantId, projectId: collector.projectId, name: 'short-lived', scopes: ['ingest'], createdBy: null });
    expect((await exportTraces(message(), { 'x-observa-api-key': created.key })).error).toBeNull();
    await collector.apiKeys.revoke(created.id);
    expect((await exportTraces(message(), { 'x-observa-api-key': created.key })).error).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringMatching(/revoked/) });
  });

  it('PERMISSION_DENIED for a key without the ingest scope', async () => {
    const reader = await collector.apiKeys.create({ tenantId: collector.tenantId, projectId: collector.projectId, name: 'read-only', scopes: ['read'], createdBy: null });
    const answer = await exportTraces(message(), { authorization: `Bearer ${reader.key}` });
    expect(answer.error).toMatchObject({ code: status.PERMISSION_DENIED, details: 'API key lacks the "ingest" scope' });
  });

  it('INVALID_ARGUMENT naming the message and what was wrong for bytes that are not an ExportTraceServiceRequest', async () => {
    const answer = await exportTraces(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(answer.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(answer.error?.details).toMatch(/could not decode ExportTraceServiceRequest as protobuf: .+/);
    expect(statusDetails(answer.error!)).toBeNull(); // not retryable: no RetryInfo
    expect((await ingestion()).in_flight.bodies).toBe(0);
  });

  it('RESOURCE_EXHAUSTED for a message over the limit, plain or as a gzip bomb, and the server goes on', async () => {
    const plain = await exportTraces(Buffer.alloc(LIMIT + 1, 0x20));
    expect(plain.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    // 64 MiB of zeros compress to ~64 KiB: under the limit on the wire, far over it once inflated.
    const bomb = Buffer.alloc(64 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const answer = await exportTraces(bomb, undefined, gzipClient);
    expect(answer.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(answer.error?.details).toMatch(new RegExp(`decompresses to a size larger than ${LIMIT}`));
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(48 * 1024 * 1024);
    expect((await exportTraces(message(), undefined, gzipClient)).error).toBeNull();
  });

  it('UNIMPLEMENTED for MetricsService, with a message saying what to send instead', async () => {
    const answer = await exportCall(OTLP_GRPC_SERVICES.metrics, Buffer.alloc(0));
    expect(answer.error?.code).toBe(status.UNIMPLEMENTED);
    expect(answer.error?.details).toMatch(/does not accept OTLP metrics.*send traces \(and GenAI log events\) instead/);
  });

  it('UNAVAILABLE + RetryInfo while the outbox is over its bound, counted in the /healthz that HTTP shares, until it drains', async () => {
    await collector.shipped();
    const refusedBefore = (await ingestion()).refused.outbox;
    await collector.shipper.shutdown(); // the analytics store "falls behind": nothing ships
    let refused: ServiceError | null = null;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = (await exportTraces(message())).error;
      await sleep(50); // the backlog is read at most once a second
    }
    expect(refused?.code).toBe(status.UNAVAILABLE);
    expect(refused?.details).toMatch(new RegExp(`at or over OBSERVA_MAX_OUTBOX_ROWS=${MAX_OUTBOX_ROWS}`));
    expect(statusDetails(refused!)).toEqual({ code: status.UNAVAILABLE, message: refused!.details, retryDelaySeconds: 5 });
    const paused = await ingestion();
    expect(paused).toMatchObject({ accepting: false, refused: { outbox: refusedBefore + 1 } });
    // The HTTP route is paused by the same bound.
    const http = await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson([jsonSpan()])) });
    expect(http.status).toBe(503);
    expect((await ingestion()).refused.outbox).toBe(refusedBefore + 2);

    collector.shipper.start(); // the store catches up
    const deadline = Date.now() + 15_000;
    while (!(await ingestion()).accepting) {
      if (Date.now() > deadline) throw new Error('ingestion still paused 15 s after the shipper restarted');
      await sleep(100);
    }
    expect((await exportTraces(message())).error).toBeNull();
  }, 30_000);

  // Last: it spends the tenant's requests for this minute.
  it('RESOURCE_EXHAUSTED + RetryInfo over the tenant rate limit, which OTLP/HTTP requests count against too', async () => {
    let refused: ServiceError | null = null;
    let sent = 0;
    while (!refused && sent <= INGEST_PER_TENANT_PER_MINUTE) {
      refused = (await exportTraces(message())).error;
      sent += 1;
      // Paced under the outbox bound: backpressure counts each admitted request as a row until its next reading (every second).
      await sleep(75);
    }
    expect(refused?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(refused?.details).toMatch(new RegExp(`ingestion limit for tenant ${collector.tenantId} is ${INGEST_PER_TENANT_PER_MINUTE} requests per minute; retry in \\d+ s`));
    const retryIn = Number(/retry in (\d+) s/.exec(refused!.details)![1]);
    expect(statusDetails(refused!)).toEqual({ code: status.RESOURCE_EXHAUSTED, message: refused!.details, retryDelaySeconds: retryIn });
    expect(retryIn).toBeGreaterThanOrEqual(1);
    expect(retryIn).toBeLessThanOrEqual(60);
    const http = await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson([jsonSpan()])) });
    expect(http.status).toBe(429);
  });
});

describe('status mapping of errors that are not refusals', () => {
  const log = pino({ level: 'silent' });

  it('a control plane that does not answer is UNAVAILABLE with RetryInfo; an unknown error INTERNAL without its details', () => {
    const down = grpcErrorOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), log, '/test');
    expect(down).toMatchObject({ code: status.UNAVAILABLE, details: 'the control-plane database is unavailable; retry later' });
    expect(statusDetails(down as ServiceError)?.retryDelaySeconds).toBe(5);
    const bug = grpcErrorOf(new TypeError('cannot read properties of undefined'), log, '/test');
    expect(bug).toMatchObject({ code: status.INTERNAL, details: 'internal error' });
    expect(bug.metadata!.get('grpc-status-details-bin')).toEqual([]);
  });

  it('reads the client address from grpc-js peers, IPv4 and IPv6', () => {
    expect(peerAddress('127.0.0.1:51234')).toBe('127.0.0.1');
    expect(peerAddress('::1:51234')).toBe('::1');
    expect(peerAddress('[2001:db8::7]:443')).toBe('2001:db8::7');
    expect(peerAddress('::ffff:10.0.0.2:6000')).toBe('::ffff:10.0.0.2');
    expect(peerAddress('unknown')).toBe('');
  });
});

describe('grpc.health.v1.Health', () => {
  /** Health/Check for a service name: HealthCheckRequest{service=1}, answered HealthCheckResponse{status=1}. */
  const check = (service: string) => new Promise<Answer>((resolve) => {
    const request = service ? Buffer.concat([Buffer.from([0x0a, Buffer.byteLength(service)]), Buffer.from(service)]) : Buffer.alloc(0);
    client.makeUnaryRequest('/grpc.health.v1.Health/Check', identity, identity, request, new Metadata(), (error, response) => resolve({ error: error ?? null, response: response ?? null }));
  });
  const SERVING = 1;
  const NOT_SERVING = 2;

  it('answers SERVING for the server and both OTLP services, NOT_FOUND for others, without a key', async () => {
    for (const service of ['', OTLP_GRPC_SERVICES.traces, OTLP_GRPC_SERVICES.logs]) {
      const { error, response } = await check(service);
      expect(error).toBeNull();
      expect(fieldsOf(response!).get(1)).toEqual([SERVING]);
    }
    expect((await check(OTLP_GRPC_SERVICES.metrics)).error?.code).toBe(status.NOT_FOUND);
  });

  it('tells health watchers NOT_SERVING when the receiver drains', async () => {
    const receiver = await startOtlpGrpcServer({
      host: '127.0.0.1', port: 0, maxMessageBytes: LIMIT, admission: [], log: pino({ level: 'silent' }),
      exports: { traces: async () => undefined, logs: async () => undefined },
    });
    const watcher = new Client(receiver.address, credentials.createInsecure());
    const statuses: number[] = [];
    const stream = watcher.makeServerStreamRequest('/grpc.health.v1.Health/Watch', identity, identity, Buffer.alloc(0), new Metadata());
    stream.on('error', () => {}); // the stream ends with the server
    stream.on('data', (message: Buffer) => statuses.push(Number(fieldsOf(message).get(1)?.[0] ?? 0)));
    const seen = async (count: number) => {
      while (statuses.length < count) await sleep(5);
    };
    await seen(1);
    const drained = receiver.drain();
    await seen(2);
    expect(statuses).toEqual([SERVING, NOT_SERVING]);
    stream.cancel();
    watcher.close();
    await drained;
  });
});
