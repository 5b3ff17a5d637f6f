import { SpanStatusCode, type Tracer, type TracerProvider } from '@opentelemetry/api';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TEXT_ANSWER } from '../../../../fixtures/fake-llm-server.ts';
import { GEN_AI } from '../../semconv.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.ts';
import { collect, spanHarness } from '../testing/span-harness.ts';
import { wrapOpenAI } from './wrap-openai.ts';

const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hello?' }] };
const failWith = (status: number) => ({ headers: { 'x-fake-status': String(status) } });

describe('wrapOpenAI: errors', () => {
  const harness = spanHarness();
  let fake: FakeOpenAIServer;
  let traced: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
    traced = wrapOpenAI(new OpenAI({ apiKey: 'k', baseURL: fake.baseURL, maxRetries: 0 }), { tracerProvider: harness.provider });
  });
  afterAll(() => fake.close());
  beforeEach(() => harness.reset());

  it.each([
    [400, OpenAI.BadRequestError, 'BadRequestError'],
    [500, OpenAI.InternalServerError, 'InternalServerError'],
  ])('rethrows the SDK error for HTTP %i unchanged and records an ERROR span', async (status, errorClass, errorType) => {
    const error = await traced.chat.completions.create(ask, failWith(status)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(status);

    const [span] = await harness.waitForSpans(1);
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    expect(span.attributes['error.type']).toBe(errorType);
    expect(span.attributes['http.response.status_code']).toBe(status);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0].attributes?.['exception.type']).toBe(errorType);
  });

  it('records errors of streamed calls, embeddings and responses the same way', async () => {
    await expect(traced.chat.completions.create({ ...ask, stream: true }, failWith(429))).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(traced.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }, failWith(401))).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    await expect(traced.responses.create({ model: 'gpt-4o-mini', input: 'x' }, failWith(404))).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const spans = await harness.waitForSpans(3);
    expect(spans.map((s) => [s.name, s.status.code, s.attributes['error.type']])).toEqual([
      ['chat gpt-4o-mini', SpanStatusCode.ERROR, 'RateLimitError'],
      ['embeddings text-embedding-3-small', SpanStatusCode.ERROR, 'AuthenticationError'],
      ['chat gpt-4o-mini', SpanStatusCode.ERROR, 'NotFoundError'],
    ]);
  });

  it('records a connection failure', async () => {
    const offline = wrapOpenAI(new OpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 }), { tracerProvider: harness.provider });
    await expect(offline.chat.completions.create(ask)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes['error.type']).toBe('APIConnectionError');
  });
});

describe('wrapOpenAI: instrumentation failures never reach the app', () => {
  let fake: FakeOpenAIServer;
  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
  });
  afterAll(() => fake.close());

  const client = () => new OpenAI({ apiKey: 'k', baseURL: fake.baseURL, maxRetries: 0 });

  it('runs the call untraced when no span can be started', async () => {
    const broken: TracerProvider = {
      getTracer: () => {
        throw new Error('tracer provider exploded');
      },
    };
    const traced = wrapOpenAI(client(), { tracerProvider: broken });
    const completion = await traced.chat.completions.create(ask);
    expect(completion.choices[0].message.content).toBe(TEXT_ANSWER);
    expect(await collect(await traced.chat.completions.create({ ...ask, stream: true }))).not.toHaveLength(0);
  });

  it('keeps results and streams intact when recording on the span throws', async () => {
    const throwing = new Proxy({} as Record<string, unknown>, {
      get: (_t, prop) => (prop === 'spanContext' ? () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }) : () => {
        throw new Error(`span.${String(prop)} exploded`);
      }),
    });
    const tracer = { startSpan: () => throwing, startActiveSpan: () => undefined } as unknown as Tracer;
    const traced = wrapOpenAI(client(), { tracerProvider: { getTracer: () => tracer } });
    const completion = await traced.chat.completions.create(ask);
    expect(completion.choices[0].message.content).toBe(TEXT_ANSWER);
    const chunks = await collect(await traced.chat.completions.create({ ...ask, stream: true }));
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(TEXT_ANSWER);
    await expect(traced.chat.completions.create(ask, failWith(400))).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('sees Azure OpenAI endpoints as provider azure.ai.openai', async () => {
    const harness = spanHarness();
    const azureURL = 'https://my-resource.openai.azure.com/openai/v1';
    // The client keeps its Azure base URL; its fetch sends the request to the fake instead.
    const toFake: typeof fetch = (url, init) => fetch(String(url).replace(azureURL, fake.baseURL), init);
    const traced = wrapOpenAI(new OpenAI({ apiKey: 'k', baseURL: azureURL, maxRetries: 0, fetch: toFake }), { tracerProvider: harness.provider });
    const completion = await traced.chat.completions.create(ask);
    expect(completion.choices[0].message.content).toBe(TEXT_ANSWER);
    const [span] = await harness.waitForSpans(1);
    expect(span.attributes[GEN_AI.PROVIDER_NAME]).toBe('azure.ai.openai');
    expect(span.attributes['server.address']).toBe('my-resource.openai.azure.com');
    expect(span.attributes[GEN_AI.REQUEST_STREAM]).toBe(false);
  });
});
