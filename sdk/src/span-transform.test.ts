import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { DETECTORS, type ProcessingConfig } from './config.ts';
import { DropCounter } from './drop-counter.ts';
import { SpanTransform } from './span-transform.ts';

const config: ProcessingConfig = { maxAttributeLength: 30, detectors: DETECTORS, redact: undefined, exportOnly: 'all', llmBuffer: { maxSpans: 10, timeoutMillis: 1000 } };

function endedSpan(attributes: Record<string, string | number>): ReadableSpan {
  let ended: ReadableSpan | undefined;
  const provider = new BasicTracerProvider({ spanProcessors: [{ onStart() {}, onEnd: (span) => void (ended = span), forceFlush: async () => {}, shutdown: async () => {} }] });
  const span = provider.getTracer('t').startSpan('chat', { attributes });
  span.addEvent('note', { text: 'nothing to see' });
  span.end();
  return ended!;
}

describe('SpanTransform', () => {
  it('hands on a span nothing applies to as it ended, without a copy', () => {
    const span = endedSpan({ 'gen_ai.provider.name': 'openai', 'app.text': 'short and clean', n: 1 });
    expect(new SpanTransform(config, new DropCounter()).apply(span)).toBe(span);
  });

  it('redacts and cuts a copy in one pass, leaving the ended span as it was', () => {
    const span = endedSpan({ 'app.mail': 'write to a@b.io', 'app.long': 'x'.repeat(40), 'app.both': 'mail a@b.io and more and more', clean: 'ok' });
    const exported = new SpanTransform(config, new DropCounter()).apply(span)!;
    expect(exported).not.toBe(span);
    expect(exported.attributes).toEqual({
      'app.mail': 'write to [REDACTED:email]',
      'app.long': `${'x'.repeat(30)}…[truncated 10 chars]`,
      'app.both': 'mail [REDACTED:email] and more…[truncated 9 chars]',
      clean: 'ok',
      'observa.redacted': ['app.mail', 'app.both'],
      'observa.truncated': ['app.long', 'app.both'],
    });
    expect(exported.events).toBe(span.events);
    expect(span.attributes['app.mail']).toBe('write to a@b.io');
    expect(span.attributes['observa.redacted']).toBeUndefined();
  });
});
