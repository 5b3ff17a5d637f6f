import { describe, expect, it } from 'vitest';
import { otelProviderName } from './provider-name.ts';

describe('otelProviderName', () => {
  it.each([
    ['openai', 'openai'],
    ['OpenAI', 'openai'],
    ['Azure OpenAI', 'azure.ai.openai'],
    ['az.ai.inference', 'azure.ai.inference'],
    ['azure.ai.openai', 'azure.ai.openai'],
    ['AWS', 'aws.bedrock'],
    ['VertexAI', 'gcp.vertex_ai'],
    ['vertex_ai', 'gcp.vertex_ai'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['mistral_ai', 'mistral_ai'],
    ['MistralAI', 'mistral_ai'],
    ['amazon-bedrock', 'aws.bedrock'],
    ['ollama', 'ollama'],
    ['  Groq ', 'groq'],
  ])('%s -> %s', (raw, expected) => {
    expect(otelProviderName(raw)).toBe(expected);
  });
});

describe('gen_ai.provider.name as sent by hand-rolled instrumentation', () => {
  it('is spelled the OTel way in the canonical event', async () => {
    const { mapSpan } = await import('./map-span.ts');
    const { fixtureSpan } = await import('./dialects/fixtures/fixture-span.ts');
    const span = fixtureSpan({ spanId: 'aaaaaaaaaaaaaaaa', name: 'chat', attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'OpenAI' } });
    expect(mapSpan(span).provider).toBe('openai');
  });
});
