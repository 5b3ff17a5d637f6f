import { describe, expect, it } from 'vitest';
import { StatusCode } from '../../otlp/span.ts';
import { mapSpan } from '../map-span.ts';
import { RATE_LIMIT_MESSAGE, chatErrorSpan } from './fixtures/chat-error.ts';
import { START_NANOS, fixtureSpan } from './fixtures/fixture-span.ts';
import { plainHttpSpan } from './fixtures/plain-http.ts';

describe('common: errors (fixtures/chat-error.ts)', () => {
  const event = mapSpan(chatErrorSpan);

  it('marks the span failed from error.type even though the status was left unset', () => {
    expect(event).toMatchObject({ status: 'error', error_type: 'RateLimitError', status_message: RATE_LIMIT_MESSAGE, type: 'llm', model: 'gpt-4o' });
  });

  it('reports no usage for a call that produced none', () => {
    expect(event).toMatchObject({ input_tokens: 0, output_tokens: 0, total_tokens: 0, usage_source: 'none' });
  });

  it('keeps the exception event and unmapped attributes, without duplicating error.type', () => {
    expect(event.events[0]).toMatchObject({ name: 'exception', attributes: { 'exception.type': 'RateLimitError' } });
    expect(event.attributes).toEqual({ 'server.address': 'api.openai.com', 'http.response.status_code': 429 });
  });

  it('keeps an explicit status message over the exception message', () => {
    const span = { ...chatErrorSpan, status: { code: StatusCode.ERROR, message: 'upstream refused' } };
    expect(mapSpan(span)).toMatchObject({ status: 'error', status_message: 'upstream refused' });
  });

  it('falls back to the exception type when the exception has no message', () => {
    const span = fixtureSpan({
      spanId: '0000000000000030', name: 'x', attributes: {}, status: { code: StatusCode.ERROR, message: '' },
      events: [{ timeUnixNano: START_NANOS, name: 'exception', attributes: { 'exception.type': 'TimeoutError' } }],
    });
    expect(mapSpan(span)).toMatchObject({ status: 'error', status_message: 'TimeoutError', error_type: '' });
  });

  it('does not overrule a span the instrumentation marked OK', () => {
    const span = { ...chatErrorSpan, status: { code: StatusCode.OK, message: '' } };
    expect(mapSpan(span)).toMatchObject({ status: 'ok', status_message: '', error_type: 'RateLimitError' });
  });

  it('leaves a handled exception on a successful span out of the status message', () => {
    const span = { ...plainHttpSpan, events: chatErrorSpan.events };
    expect(mapSpan(span)).toMatchObject({ status: 'unset', status_message: '' });
  });
});

describe('common: session and user', () => {
  it('reads session.id and user.id on any span, consuming them', () => {
    const span = { ...plainHttpSpan, attributes: { ...plainHttpSpan.attributes, 'session.id': 'sess-1', 'user.id': 42 } };
    const event = mapSpan(span);
    expect(event).toMatchObject({ session_id: 'sess-1', user_id: '42', type: 'span' });
    expect(event.attributes).not.toHaveProperty('session.id');
    expect(event.attributes).not.toHaveProperty('user.id');
  });

  it('prefers user.id over the deprecated enduser.id, which then stays in attributes', () => {
    const both = fixtureSpan({ spanId: '0000000000000031', name: 'x', attributes: { 'user.id': 'u-new', 'enduser.id': 'u-old' } });
    expect(mapSpan(both)).toMatchObject({ user_id: 'u-new', attributes: { 'enduser.id': 'u-old' } });
    const old = fixtureSpan({ spanId: '0000000000000032', name: 'x', attributes: { 'enduser.id': 'u-old' } });
    expect(mapSpan(old)).toMatchObject({ user_id: 'u-old', attributes: {} });
  });

  it('never takes gen_ai.conversation.id as the session', () => {
    const span = fixtureSpan({ spanId: '0000000000000033', name: 'x', attributes: { 'gen_ai.conversation.id': 'conv-1' } });
    expect(mapSpan(span)).toMatchObject({ session_id: '', conversation_id: 'conv-1' });
  });
});
