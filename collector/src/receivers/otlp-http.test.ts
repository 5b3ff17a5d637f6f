/**
 * The OTLP/HTTP receiver's contract (opentelemetry-proto specification): encodings, compression,
 * partial success, and every refusal with the status code clients act on.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';
import { ProtoReader } from '../otlp/protobuf-reader.ts';

let collector: TestCollector;
const LIMIT = 256 * 1024;

beforeAll(async () => {
  collector = await startTestCollector({ env: { OBSERVA_MAX_BODY_BYTES: String(LIMIT) } });
});
afterAll(async () => {
  await collector?.close();
});

function postTraces(body: string | Uint8Array, headers: Record<string, string> = {}) {
  return collector.request('/v1/traces', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}

async function traceSummary(traceId: string) {
  const response = await collector.request(`/api/v1/traces/${traceId}`);
  return response.status === 200 ? (await response.json() as any).trace : null;
}

describe('accepted requests', () => {
  it('takes gzip-compressed JSON and answers an empty ExportTraceServiceResponse', async () => {
    const traceId = randomTraceId();
    const response = await postTraces(gzipSync(JSON.stringify(otlpJson([jsonSpan({ traceId, name: 'gzipped' })]))), { 'content-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json() as any).toEqual({});
    expect((await traceSummary(traceId)).name).toBe('gzipped');
  });

  it('stores the valid spans of a batch and reports the invalid ones as partial success', async () => {
    const traceId = randomTraceId();
    const spans = [jsonSpan({ traceId, name: 'good-1' }), { ...jsonSpan({ name: 'bad' }), traceId: 'abcd' }, jsonSpan({ traceId, name: 'good-2', startMs: Date.now() + 5 })];
    const response = await postTraces(JSON.stringify(otlpJson(spans)));
    expect(response.status).toBe(200);
    const body = await response.json() as any;
    expect(body.partialSuccess.rejectedSpans).toBe('1');
    expect(body.partialSuccess.errorMessage).toMatch(/span 1: trace_id/);
    expect((await traceSummary(traceId)).span_count).toBe(2);
  });

  it('answers protobuf requests in protobuf, with partial_success encoded', async () => {
    const { ProtobufTraceSerializer } = await import('@opentelemetry/otlp-transformer');
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.getTracer('t').startSpan('proto-span').end();
    const bytes = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!;
    const response = await postTraces(Buffer.from(bytes), { 'content-type': 'application/x-protobuf' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await response.arrayBuffer()).byteLength).toBe(0); // partial_success unset
    expect((await traceSummary(exporter.getFinishedSpans()[0].spanContext().traceId)).name).toBe('proto-span');
  });

  it('counts a re-sent payload once in summaries and in the analytics store', async () => {
    const traceId = randomTraceId();
    const payload = JSON.stringify(
      otlpJson([
        jsonSpan({ traceId, name: 'chat', attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': 7, 'gen_ai.usage.output_tokens': 3, 'session.id': 'dup-session' } }),
      ]),
    );
    for (let i = 0; i < 3; i++) expect((await postTraces(payload)).status).toBe(200);
    await collector.shipped();
    const summary = await traceSummary(traceId);
    expect(summary).toMatchObject({ span_count: 1, input_tokens: 7, output_tokens: 3, total_tokens: 10 });
    const detail = await (await collector.request(`/api/v1/traces/${traceId}`)).json() as any;
    expect(detail.spans).toHaveLength(1);
    const session = await (await collector.request('/api/v1/sessions/dup-session')).json() as any;
    expect(session.session).toMatchObject({ trace_count: 1, span_count: 1, total_tokens: 10 });
  });
});

describe('refused requests', () => {
  it('401 without a key, with an invalid key, and with a key signed by another secret', async () => {
    const body = JSON.stringify(otlpJson([jsonSpan()]));
    const missing = await fetch(`${collector.url}/v1/traces`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(missing.status).toBe(401);
    expect((await missing.json() as any).message).toMatch(/missing API key/);
    expect((await postTraces(body, { authorization: 'Bearer nonsense' })).status).toBe(401);
    const forged = collector.apiKey.replace(/\.[^.]+$/, '.' + Buffer.alloc(32, 1).toString('base64url'));
    expect((await postTraces(body, { authorization: `Bearer ${forged}` })).status).toBe(401);
  });

  it('400 with a google.rpc.Status naming the problem for an undecodable body', async () => {
    const json = await postTraces('{"resourceSpans": [ not json');
    expect(json.status).toBe(400);
    const status = await json.json() as any;
    expect(status.code).toBe(3); // INVALID_ARGUMENT
    expect(status.message).toMatch(/could not decode ExportTraceServiceRequest as json/);

    const proto = await postTraces(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'content-type': 'application/x-protobuf' });
    expect(proto.status).toBe(400);
    expect(proto.headers.get('content-type')).toBe('application/x-protobuf');
    // google.rpc.Status{code=1, message=2} decoded with our own reader.
    const reader = new ProtoReader(new Uint8Array(await proto.arrayBuffer()));
    const fields: Record<number, unknown> = {};
    while (reader.more()) {
      const tag = reader.tag();
      fields[tag >>> 3] = (tag & 7) === 0 ? reader.varint32() : reader.string();
    }
    expect(fields[1]).toBe(3);
    expect(String(fields[2])).toMatch(/as protobuf/);
  });

  it('415 for other content types', async () => {
    const response = await postTraces('x', { 'content-type': 'text/xml' });
    expect(response.status).toBe(415);
    expect((await response.json() as any).message).toMatch(/application\/x-protobuf or application\/json/);
  });

  it('413 for a body over the limit, plain or as a gzip bomb, without inflating it all', async () => {
    const plain = await postTraces(Buffer.alloc(LIMIT + 1, 0x20));
    expect(plain.status).toBe(413);
    // 64 MiB of zeros compress to ~64 KiB: far over the limit once inflated.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(LIMIT);
    const rssBefore = process.memoryUsage().rss;
    const response = await postTraces(bomb, { 'content-encoding': 'gzip' });
    expect(response.status).toBe(413);
    expect((await response.json() as any).message).toMatch(/after decompression/);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(48 * 1024 * 1024);
  });

  it('refuses a revoked key', async () => {
    const login = await fetch(`${collector.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@test.local', password: 'correct horse battery staple' }),
    });
    const { token } = await login.json() as any;
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await (await fetch(`${collector.url}/api/v1/projects/${collector.projectId}/api-keys`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'short-lived', scopes: ['ingest'] }) })).json() as any;
    const body = JSON.stringify(otlpJson([jsonSpan()]));
    expect((await postTraces(body, { authorization: `Bearer ${created.key}` })).status).toBe(200);
    const revoke = await fetch(`${collector.url}/api/v1/projects/${collector.projectId}/api-keys/${created.id}`, { method: 'DELETE', headers: auth });
    expect(revoke.status).toBe(204);
    const refused = await postTraces(body, { authorization: `Bearer ${created.key}` });
    expect(refused.status).toBe(401);
    expect((await refused.json() as any).message).toMatch(/revoked/);
  });
});
