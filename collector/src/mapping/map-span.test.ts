import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { StatusCode } from '../otlp/span.ts';
import type { Dialect, DialectResult } from './dialect.ts';
import { anthropicStreamSpan } from './dialects/fixtures/anthropic-stream.ts';
import { chatErrorSpan } from './dialects/fixtures/chat-error.ts';
import { embeddingsSpan } from './dialects/fixtures/embeddings.ts';
import { executeToolSpan } from './dialects/fixtures/execute-tool.ts';
import { fixtureSpan } from './dialects/fixtures/fixture-span.ts';
import { openaiChatSpan } from './dialects/fixtures/openai-chat.ts';
import { openaiEventsSpan } from './dialects/fixtures/openai-events-1-28.ts';
import { openaiLegacySpan } from './dialects/fixtures/openai-legacy-1-26.ts';
import { plainHttpSpan } from './dialects/fixtures/plain-http.ts';
import { langfuseToolErrorSpan } from './dialects/fixtures/langfuse-error.ts';
import { langfuseGenerationSpan } from './dialects/fixtures/langfuse-generation.ts';
import { langfuseRootSpan } from './dialects/fixtures/langfuse-span.ts';
import { openinferenceChatSpan } from './dialects/fixtures/openinference-openai-chat.ts';
import { openinferenceStreamSpan } from './dialects/fixtures/openinference-openai-stream.ts';
import { openinferenceChainSpan, openinferenceEmbeddingSpan, openinferenceRetrieverSpan } from './dialects/fixtures/openinference-rag.ts';
import { openllmetryChatSpan } from './dialects/fixtures/openllmetry-openai-chat.ts';
import { openllmetryTaskSpan, openllmetryToolSpan, openllmetryWorkflowSpan } from './dialects/fixtures/openllmetry-workflow.ts';
import { doEmbedSpan, embedManySpan } from './dialects/fixtures/vercel-embed-many.ts';
import { doGenerateAnswerSpan, doGenerateToolStepSpan, generateTextSpan, toolCallSpan } from './dialects/fixtures/vercel-generate-text.ts';
import { doStreamSpan } from './dialects/fixtures/vercel-stream-text.ts';
import { mapSpan } from './map-span.ts';

const ALL_FIXTURES = {
  openaiChatSpan, anthropicStreamSpan, openaiLegacySpan, openaiEventsSpan,
  executeToolSpan, embeddingsSpan, chatErrorSpan, plainHttpSpan,
  langfuseToolErrorSpan, langfuseGenerationSpan, langfuseRootSpan,
  openinferenceChatSpan, openinferenceStreamSpan, openinferenceChainSpan, openinferenceRetrieverSpan, openinferenceEmbeddingSpan,
  openllmetryChatSpan, openllmetryWorkflowSpan, openllmetryTaskSpan, openllmetryToolSpan,
  embedManySpan, doEmbedSpan, generateTextSpan, doGenerateToolStepSpan, toolCallSpan, doGenerateAnswerSpan, doStreamSpan,
};

describe('mapSpan: fields of the span itself', () => {
  const event = mapSpan(plainHttpSpan);

  it('copies ids, name, kind, scope and leaves tenant/project for enrichment', () => {
    expect(event).toMatchObject({
      tenant_id: '', project_id: '',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', span_id: '2c9e4a1b7d3f5e60', parent_span_id: '',
      name: 'GET /api/orders/:id', span_kind: 'server', scope_name: '@opentelemetry/instrumentation-http',
      type: 'span', status: 'unset',
    });
  });

  it('keeps nanosecond times and computes the duration', () => {
    expect(event.start_time).toBe('2025-10-09T08:53:20.123456789Z');
    expect(event.end_time).toBe('2025-10-09T08:53:20.135802467Z');
    expect(event.duration_ms).toBeCloseTo(12.345678, 9);
  });

  it('reads service and environment from the resource, old and new environment keys', () => {
    expect(event.service_name).toBe('shop-api');
    expect(event.environment).toBe('staging'); // deployment.environment (pre-1.27)
    expect(mapSpan(openaiChatSpan).environment).toBe('production'); // deployment.environment.name
    expect(event.resource_attributes).toEqual({ 'service.name': 'shop-api', 'deployment.environment': 'staging', 'host.name': 'web-1' });
  });

  it('keeps every attribute of a plain span, JSON-safe', () => {
    expect(event.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/api/orders/:id',
      'url.path': '/api/orders/1234',
      'url.scheme': 'https',
      'http.response.status_code': 200,
      'server.address': 'shop.example.com',
      'user_agent.original': 'Mozilla/5.0',
      'app.order.id_hash': '9007199254740993', // beyond 2^53: a number would silently become ...992
      'app.request.digest': '3q2+7w==',
      'app.cart': { items: 3, currency: 'EUR', coupons: ['WELCOME10'] },
      'app.flags': [true, false],
    });
  });

  it('converts events to {time, name, attributes} with JSON-safe values', () => {
    expect(event.events).toEqual([
      { time: '2025-10-09T08:53:20.128456789Z', name: 'cache.miss', attributes: { 'cache.key': 'order:1234', 'cache.size': '9007199254740993' } },
    ]);
  });

  it('keeps a __proto__ attribute as an ordinary key', () => {
    const attributes = JSON.parse('{"__proto__": "x", "a": 1}') as Record<string, string>;
    const event = mapSpan(fixtureSpan({ spanId: '0000000000000005', name: 'x', attributes }));
    expect(Object.keys(event.attributes)).toEqual(['__proto__', 'a']);
    expect(JSON.stringify(event.attributes)).toBe('{"__proto__":"x","a":1}');
  });

  it('turns non-finite doubles and safe bigints into JSON-representable values', () => {
    const span = fixtureSpan({ spanId: '0000000000000001', name: 'x', attributes: { nan: Number.NaN, inf: Number.POSITIVE_INFINITY, small: 5n } });
    expect(mapSpan(span).attributes).toEqual({ nan: 'NaN', inf: 'Infinity', small: 5 });
  });

  it('maps span status codes and keeps the status message', () => {
    const failed = fixtureSpan({ spanId: '0000000000000002', name: 'x', attributes: {}, status: { code: StatusCode.ERROR, message: 'boom' } });
    expect(mapSpan(failed)).toMatchObject({ status: 'error', status_message: 'boom' });
    const ok = fixtureSpan({ spanId: '0000000000000003', name: 'x', attributes: {}, status: { code: StatusCode.OK, message: '' } });
    expect(mapSpan(ok).status).toBe('ok');
  });

  it('reports no usage for a span without token counts', () => {
    expect(event).toMatchObject({ usage_source: 'none', input_tokens: 0, output_tokens: 0, total_tokens: 0 });
  });
});

describe('mapSpan: merging dialects by precedence', () => {
  const span = fixtureSpan({ spanId: '0000000000000004', name: 'x', attributes: { 'a.model': 'first', 'b.model': 'second', 'b.provider': 'acme', other: 1 } });
  const dialect = (name: string, result: DialectResult, matches = true): Dialect => ({ name, matches: () => matches, extract: () => result });
  const a = dialect('a', { fields: { model: 'first' }, consumed: { model: ['a.model'] } });
  const b = dialect('b', { fields: { model: 'second', provider: 'acme' }, consumed: { model: ['b.model'], provider: ['b.provider'] } });

  it('lets the first dialect that sets a field win, and later ones fill the rest', () => {
    expect(mapSpan(span, [a, b])).toMatchObject({ model: 'first', provider: 'acme' });
    expect(mapSpan(span, [b, a]).model).toBe('second');
  });

  it("consumes only the winning dialect's keys, so the loser's value stays in attributes", () => {
    expect(mapSpan(span, [a, b]).attributes).toEqual({ 'b.model': 'second', other: 1 });
  });

  it('skips dialects that do not match', () => {
    const skipped = dialect('skipped', { fields: { model: 'never' }, consumed: { model: ['a.model'] } }, false);
    expect(mapSpan(span, [skipped, b]).model).toBe('second');
  });

  it('derives total_tokens and usage_source from the merged counts', () => {
    const usage = dialect('u', { fields: { input_tokens: 10, cache_read_tokens: 4 }, consumed: {} });
    const output = dialect('o', { fields: { output_tokens: 5, input_tokens: 999 }, consumed: {} });
    expect(mapSpan(span, [usage, output])).toMatchObject({ input_tokens: 10, output_tokens: 5, total_tokens: 15, usage_source: 'reported' });
  });

  it('keeps a reported total instead of summing', () => {
    const usage = dialect('u', { fields: { input_tokens: 10, output_tokens: 5, total_tokens: 17 }, consumed: {} });
    expect(mapSpan(span, [usage]).total_tokens).toBe(17);
  });

  it('treats a reported zero as reported usage', () => {
    const usage = dialect('u', { fields: { input_tokens: 0 }, consumed: {} });
    expect(mapSpan(span, [usage])).toMatchObject({ usage_source: 'reported', total_tokens: 0 });
  });
});

describe('mapSpan output contract', () => {
  const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
  const schemaUrl = new URL('../../../schemas/canonical-event.schema.json', import.meta.url);
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  const validate = ajv.compile(JSON.parse(readFileSync(schemaUrl, 'utf8')));

  it.each(Object.entries(ALL_FIXTURES))('%s maps to a schema-valid, JSON round-trippable event', (_, span) => {
    const event = mapSpan(span);
    expect(validate(event), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });
});
