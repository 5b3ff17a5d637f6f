import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { withConversation, withMetadata, withSession, withTags, withUser } from './context-scopes.ts';
import { startInMemoryTracing, type InMemoryTracing } from './testing/in-memory-tracing.ts';

let tracing: InMemoryTracing;
afterEach(async () => {
  await tracing?.close();
  vi.restoreAllMocks();
});

describe('context stamping', () => {
  it('stamps session, user, conversation, tags and metadata on every span started in scope', async () => {
    tracing = startInMemoryTracing();
    const { tracer } = tracing;
    withSession('s-1', () =>
      withUser('u-1', () =>
        withConversation('c-1', () =>
          withTags(['beta', 'eu'], () =>
            withMetadata({ plan: 'pro', seats: 3, flags: { a: true } }, () => {
              tracer.startActiveSpan('outer', (outer) => {
                withTags(['eu', 'retry'], () => withMetadata({ plan: 'team' }, () => tracer.startSpan('inner', { attributes: { 'user.id': 'explicit' } }).end()));
                outer.end();
              });
            }),
          ),
        ),
      ),
    );
    tracer.startSpan('outside').end();

    const outer = await tracing.exportedSpan('outer');
    expect(outer.attributes).toMatchObject({
      'session.id': 's-1',
      'user.id': 'u-1',
      'gen_ai.conversation.id': 'c-1',
      'observa.tags': ['beta', 'eu'],
      'observa.metadata.plan': 'pro',
      'observa.metadata.seats': 3,
      'observa.metadata.flags': '{"a":true}',
    });
    const inner = await tracing.exportedSpan('inner');
    expect(inner.attributes).toMatchObject({ 'session.id': 's-1', 'user.id': 'explicit', 'observa.tags': ['beta', 'eu', 'retry'], 'observa.metadata.plan': 'team', 'observa.metadata.seats': 3 });
    const outside = await tracing.exportedSpan('outside');
    expect(Object.keys(outside.attributes)).toEqual([]);
  });
});

describe('GenAI normalisation', () => {
  it('renames deprecated attributes and spells providers the OTel way', async () => {
    tracing = startInMemoryTracing();
    tracing.tracer.startSpan('legacy', { attributes: { 'gen_ai.system': 'Azure OpenAI', 'gen_ai.usage.prompt_tokens': 12, 'gen_ai.usage.completion_tokens': 3, 'gen_ai.request.model': 'gpt-4o' } }).end();
    tracing.tracer.startSpan('both', { attributes: { 'gen_ai.system': 'openai', 'gen_ai.provider.name': 'anthropic.messages', 'gen_ai.usage.input_tokens': 5, 'gen_ai.usage.prompt_tokens': 99 } }).end();

    expect((await tracing.exportedSpan('legacy')).attributes).toEqual({
      'gen_ai.provider.name': 'azure.ai.openai',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.request.model': 'gpt-4o',
    });
    expect((await tracing.exportedSpan('both')).attributes).toEqual({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.usage.input_tokens': 5 });
  });
});

describe('payload size limit', () => {
  it('cuts long strings with a marker and lists their keys', async () => {
    tracing = startInMemoryTracing({ maxAttributeLength: 10, redaction: false });
    const span = tracing.tracer.startSpan('big', { attributes: { long: 'abcdefghijklmnopqrstuvwxyz', short: 'fits', list: ['0123456789ABC', 'ok'] } });
    span.addEvent('chunk', { text: 'x'.repeat(25) });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'm'.repeat(12) });
    span.end();

    const exported = await tracing.exportedSpan('big');
    expect(exported.attributes).toEqual({
      long: 'abcdefghij…[truncated 16 chars]',
      short: 'fits',
      list: ['0123456789…[truncated 3 chars]', 'ok'],
      'observa.truncated': ['long', 'list', 'events.chunk.text'],
    });
    expect(exported.events[0].attributes).toEqual({ text: `${'x'.repeat(10)}…[truncated 15 chars]` });
    expect(exported.status.message).toBe(`${'m'.repeat(10)}…[truncated 2 chars]`);
  });

  it('does not split a surrogate pair', async () => {
    tracing = startInMemoryTracing({ maxAttributeLength: 3 });
    tracing.tracer.startSpan('emoji', { attributes: { text: 'ab😀cd' } }).end();
    expect((await tracing.exportedSpan('emoji')).attributes.text).toBe('ab…[truncated 4 chars]');
  });
});

describe('redaction', () => {
  it('redacts attributes, event attributes and the status message of the exported copy only', async () => {
    const theirs = new InMemorySpanExporter();
    tracing = startInMemoryTracing({}, [new SimpleSpanProcessor(theirs)]);
    const span = tracing.tracer.startSpan('call', { attributes: { 'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"I am bob@example.com, card 4242 4242 4242 4242"}]}]' } });
    span.addEvent('exception', { 'exception.message': 'Incorrect API key provided: sk-proj-AbCdEf0123456789AbCdEf0123' });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'Bearer tok3n-abcdef rejected' });
    span.end();

    const exported = await tracing.exportedSpan('call');
    expect(exported.attributes['gen_ai.input.messages']).toBe('[{"role":"user","parts":[{"type":"text","content":"I am [REDACTED:email], card [REDACTED:card]"}]}]');
    expect(exported.events[0].attributes).toEqual({ 'exception.message': 'Incorrect API key provided: [REDACTED:api_key]' });
    expect(exported.status.message).toBe('Bearer [REDACTED:bearer] rejected');
    expect(exported.attributes['observa.redacted']).toEqual(['gen_ai.input.messages', 'events.exception.exception.message']);

    // The span object the provider shares with the app's own processors is left as the app made it.
    const original = theirs.getFinishedSpans()[0];
    expect(original.attributes['gen_ai.input.messages']).toContain('bob@example.com');
    expect(original.events[0].attributes?.['exception.message']).toContain('sk-proj-');
    expect(original.attributes['observa.redacted']).toBeUndefined();
  });

  it('runs the redact hook after the detectors and lists what it changed', async () => {
    tracing = startInMemoryTracing({
      redaction: { email: false },
      redact: (span) => {
        span.attributes['app.customer'] = '[REDACTED:customer]';
        delete span.attributes['app.internal'];
        span.attributes['app.object'] = { not: 'an attribute' } as never;
        for (const event of span.events) if (event.name === 'note') event.attributes.text = 'hidden';
      },
    });
    const span = tracing.tracer.startSpan('hooked', { attributes: { 'app.customer': 'ACME Corp', 'app.internal': 'x', 'app.email': 'a@b.io', kept: 'yes' } });
    span.addEvent('note', { text: 'secret plan' });
    span.end();

    const exported = await tracing.exportedSpan('hooked');
    expect(exported.attributes).toEqual({
      'app.customer': '[REDACTED:customer]',
      'app.email': 'a@b.io',
      kept: 'yes',
      'observa.redacted': ['app.customer', 'app.internal', 'events.note.text'],
    });
    expect(exported.events[0].attributes).toEqual({ text: 'hidden' });
  });

  it('drops the span (counted, warned once) when the hook throws', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    tracing = startInMemoryTracing({ redact: () => { throw new Error('hook bug'); } });
    tracing.tracer.startSpan('a').end();
    tracing.tracer.startSpan('b').end();
    expect(await tracing.exported()).toEqual([]);
    expect(tracing.processor.droppedSpans().redact_failed).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain('the redact hook threw: hook bug');
  });
});

describe('disabled', () => {
  it('exports nothing and stamps nothing', async () => {
    tracing = startInMemoryTracing({ disabled: true });
    withSession('s', () => tracing.tracer.startSpan('quiet').end());
    expect(await tracing.exported()).toEqual([]);
  });
});

describe('shutdown', () => {
  it('is safe to call twice and ignores spans ending afterwards', async () => {
    tracing = startInMemoryTracing();
    const late = tracing.tracer.startSpan('late');
    await tracing.processor.shutdown();
    await tracing.processor.shutdown();
    expect(() => late.end()).not.toThrow();
    expect(tracing.processor.droppedSpans()).toEqual({ export_failed: 0, queue_full: 0, buffer_full: 0, redact_failed: 0 });
  });
});
