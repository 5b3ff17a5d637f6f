/**
 * The Langfuse-compatible endpoint's contract: Basic credentials (public key = project id, secret key =
 * API key), the other credentials it shares with /v1/traces, the ingestion admission it runs instead
 * of the JSON API's middlewares, and refusals answered like OTLP. The real SDK's round trip is in
 * e2e/langfuse-otel.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtoReader } from '../otlp/protobuf-reader.ts';
import { InMemoryAnalyticsStore } from '../stores/analytics/memory-store.ts';
import { jsonSpan, otlpJson, randomTraceId } from '../testing/otlp-json.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { LANGFUSE_OTEL_TRACES_PATH } from './langfuse-otel.ts';

const INGEST_PER_TENANT = 500;
const API_PER_IP = 3;

let collector: TestCollector;
beforeAll(async () => {
  collector = await startTestCollector({
    analytics: new InMemoryAnalyticsStore(),
    env: { OBSERVA_RATE_LIMIT_INGEST_TENANT: String(INGEST_PER_TENANT), OBSERVA_RATE_LIMIT_API_IP: String(API_PER_IP) },
  });
});
afterAll(async () => {
  await collector?.close();
});

const basic = (publicKey: string, secretKey: string) => `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;

function post(headers: Record<string, string>, body: string | Uint8Array = JSON.stringify(otlpJson([jsonSpan()])), contentType = 'application/json') {
  return fetch(`${collector.url}${LANGFUSE_OTEL_TRACES_PATH}`, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });
}

async function storedProjectOf(traceId: string): Promise<string | undefined> {
  const row = await collector.db('trace_summaries').where({ trace_id: traceId }).first('project_id');
  return row?.project_id;
}

/** A google.rpc.Status in protobuf: field 1 code (varint), field 2 message (string). */
function decodeRpcStatus(bytes: Uint8Array): { code: number; message: string } {
  const reader = new ProtoReader(bytes);
  const status = { code: 0, message: '' };
  while (reader.more()) {
    const tag = reader.tag();
    if (tag >>> 3 === 1) status.code = reader.varint32();
    else status.message = reader.string();
  }
  return status;
}

describe('accepted credentials', () => {
  it('takes Basic <project id>:<API key>, stores the spans in that project and answers an ExportTraceServiceResponse', async () => {
    const traceId = randomTraceId();
    const response = await post({ authorization: basic(collector.projectId, collector.apiKey), 'x-langfuse-sdk-name': 'javascript', 'x-langfuse-public-key': collector.projectId },
      JSON.stringify(otlpJson([jsonSpan({ traceId, name: 'via-langfuse-path' })])));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    expect(await storedProjectOf(traceId)).toBe(collector.projectId);
  });

  it('takes protobuf (the Python SDK\'s encoding) and answers in protobuf', async () => {
    const { ProtobufTraceSerializer } = await import('@opentelemetry/otlp-transformer');
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const span = provider.getTracer('langfuse-sdk').startSpan('python-style');
    span.end();
    const response = await post({ authorization: basic(collector.projectId, collector.apiKey) }, ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!, 'application/x-protobuf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    expect(await storedProjectOf(span.spanContext().traceId)).toBe(collector.projectId);
  });

  it.each([
    ['Authorization: Bearer', () => ({ authorization: `Bearer ${collector.apiKey}` })],
    ['x-observa-api-key', () => ({ 'x-observa-api-key': collector.apiKey })],
  ])('also takes %s, as /v1/traces does (no public key to check)', async (_label, headers) => {
    const traceId = randomTraceId();
    const response = await post(headers(), JSON.stringify(otlpJson([jsonSpan({ traceId })])));
    expect(response.status).toBe(200);
    expect(await storedProjectOf(traceId)).toBe(collector.projectId);
  });
});

describe('refusals, answered as a google.rpc.Status', () => {
  it('refuses a request without credentials, saying what to send', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="observa"');
    const status = await response.json() as { code: number; message: string };
    expect(status.code).toBe(16);
    expect(status.message).toMatch(/missing credentials: send "Authorization: Basic base64\(<public key>:<secret key>\)"/);
    expect(status.message).toContain('public key = the Observa project id');
  });

  it.each([
    ['not base64', 'Basic %%%', 'the Basic credential is not base64'],
    ['no colon', `Basic ${Buffer.from('just-a-key').toString('base64')}`, 'the Basic credential has no ":"'],
    ['empty', 'Basic', 'the Basic credential is empty'],
  ])('refuses a malformed Basic header (%s) with 401 naming the problem', async (_label, authorization, reason) => {
    const response = await post({ authorization });
    expect(response.status).toBe(401);
    const status = await response.json() as { code: number; message: string };
    expect(status).toMatchObject({ code: 16 });
    expect(status.message).toContain(`malformed Authorization header: ${reason}`);
  });

  it('refuses an empty secret key', async () => {
    const response = await post({ authorization: basic(collector.projectId, '') });
    expect(response.status).toBe(401);
    expect((await response.json() as { message: string }).message).toContain('the secret key in the Basic credential is empty');
  });

  it('refuses a secret key that is not an API key', async () => {
    const response = await post({ authorization: basic(collector.projectId, 'sk-lf-not-an-observa-key') });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: 16, message: 'API key is not valid' });
  });

  it('refuses a public key that is not the key\'s project, naming the project the key belongs to; nothing is stored', async () => {
    const traceId = randomTraceId();
    const response = await post({ authorization: basic('pk-lf-1234', collector.apiKey) }, JSON.stringify(otlpJson([jsonSpan({ traceId })])));
    expect(response.status).toBe(401);
    const status = await response.json() as { code: number; message: string };
    expect(status.code).toBe(16);
    expect(status.message).toBe(`public key "pk-lf-1234" does not match the secret key: that API key belongs to project ${collector.projectId}; set the public key (LANGFUSE_PUBLIC_KEY) to ${collector.projectId}`);
    expect(await storedProjectOf(traceId)).toBeUndefined();
  });

  it('refuses a key without the ingest scope with 403', async () => {
    const readOnly = await collector.apiKeys.create({ tenantId: collector.tenantId, projectId: collector.projectId, name: 'read-only', scopes: ['read'], createdBy: null });
    const response = await post({ authorization: basic(collector.projectId, readOnly.key) });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 7, message: 'API key lacks the "ingest" scope' });
  });

  it('answers a protobuf request\'s refusal in protobuf', async () => {
    const response = await post({ authorization: 'Basic %%%' }, new Uint8Array(), 'application/x-protobuf');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const status = decodeRpcStatus(new Uint8Array(await response.arrayBuffer()));
    expect(status.code).toBe(16);
    expect(status.message).toContain('the Basic credential is not base64');
  });

  it('refuses an unsupported content type with 415 after the credentials', async () => {
    const response = await post({ authorization: basic(collector.projectId, collector.apiKey) }, 'x', 'text/plain');
    expect(response.status).toBe(415);
    expect((await response.json() as { code: number }).code).toBe(3);
  });
});

describe('where the route sits', () => {
  it('runs the ingestion admission (its rate limit headers), not the JSON API\'s per-IP limit', async () => {
    // More requests than the JSON API's per-IP limit allows: none is refused, each is counted by ingestion's per-tenant limit.
    for (let i = 0; i < API_PER_IP + 2; i++) {
      const response = await post({ authorization: basic(collector.projectId, collector.apiKey) });
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-limit')).toBe(String(INGEST_PER_TENANT));
    }
  });

  it('does not make Basic a credential of the JSON API', async () => {
    const response = await fetch(`${collector.url}/api/v1/projects`, { headers: { authorization: basic(collector.projectId, collector.apiKey) } });
    expect(response.status).toBe(401);
  });
});
