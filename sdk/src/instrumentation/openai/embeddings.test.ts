import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS } from '../../../../fixtures/fake-llm-server.ts';
import { GEN_AI } from '../../semconv.ts';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../testing/fake-openai-server.ts';
import { jsonAttribute, spanHarness } from '../testing/span-harness.ts';
import { wrapOpenAI } from './wrap-openai.ts';

describe('wrapOpenAI: embeddings.create', () => {
  const harness = spanHarness();
  let fake: FakeOpenAIServer;
  let traced: OpenAI;

  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
    traced = wrapOpenAI(new OpenAI({ apiKey: 'k', baseURL: fake.baseURL, maxRetries: 0 }), { tracerProvider: harness.provider });
  });
  afterAll(() => fake.close());
  beforeEach(() => harness.reset());

  it('records an embeddings span with input token usage and the embedded texts, never the vectors', async () => {
    const result = await traced.embeddings.create({ model: 'text-embedding-3-small', input: ['hello there world', 'bonjour'] });
    // The SDK still decodes its default base64 encoding into float arrays.
    expect(result.data[0].embedding).toHaveLength(EMBEDDING_DIMENSIONS);

    const [span] = await harness.waitForSpans(1);
    expect(span.name).toBe('embeddings text-embedding-3-small');
    expect(span.attributes).toMatchObject({
      [GEN_AI.OPERATION_NAME]: 'embeddings',
      [GEN_AI.PROVIDER_NAME]: 'openai',
      [GEN_AI.REQUEST_MODEL]: 'text-embedding-3-small',
      [GEN_AI.RESPONSE_MODEL]: 'text-embedding-3-small',
      [GEN_AI.USAGE_INPUT_TOKENS]: 4,
    });
    expect(span.attributes[GEN_AI.USAGE_OUTPUT_TOKENS]).toBeUndefined();
    expect(span.attributes[GEN_AI.REQUEST_STREAM]).toBeUndefined();
    expect(jsonAttribute(span, GEN_AI.INPUT_MESSAGES)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'hello there world' }, { type: 'text', content: 'bonjour' }] },
    ]);
    expect(span.attributes[GEN_AI.OUTPUT_MESSAGES]).toBeUndefined();
  });
});
