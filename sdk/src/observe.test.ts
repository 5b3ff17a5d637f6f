import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { withSession } from './context-scopes.ts';
import { currentSpanId, currentTraceId } from './current-trace.ts';
import { observe } from './observe.ts';
import { startInMemoryTracing, type InMemoryTracing } from './testing/in-memory-tracing.ts';

let tracing: InMemoryTracing;
beforeEach(() => {
  tracing = startInMemoryTracing();
});
afterEach(async () => {
  await tracing.close();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('observe', () => {
  it('traces a sync function with its input, output and type, keeping `this`', async () => {
    const counter = {
      base: 10,
      add: observe('add', function (this: { base: number }, a: number, b: number) { return this.base + a + b; }, { type: 'tool' }),
    };
    expect(counter.add(1, 2)).toBe(13);
    const span = await tracing.exportedSpan('add');
    expect(span.attributes).toEqual({ 'observa.span.type': 'tool', 'observa.input': '[1,2]', 'observa.output': '13' });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('traces an async function until it settles, returns the same promise and nests child spans', async () => {
    const lookup = observe('lookup', async (query: string) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { hits: [query.toUpperCase()] };
    }, { type: 'retrieval' });
    const agent = observe('agent', async (question: string) => {
      const ids = { trace: currentTraceId(), span: currentSpanId() };
      const found = await lookup(question);
      return { ids, found };
    }, { type: 'agent' });

    const { ids, found } = await withSession('s-9', () => agent('paris'));
    expect(found).toEqual({ hits: ['PARIS'] });
    const root = await tracing.exportedSpan('agent');
    const child = await tracing.exportedSpan('lookup');
    expect(ids).toEqual({ trace: root.spanContext().traceId, span: root.spanContext().spanId });
    expect(parentOf(child)).toBe(root.spanContext().spanId);
    expect(child.attributes).toMatchObject({ 'observa.span.type': 'retrieval', 'observa.input': 'paris', 'observa.output': '{"hits":["PARIS"]}', 'session.id': 's-9' });

    const promise = Promise.resolve(1);
    expect(observe('same', () => promise)()).toBe(promise);
  });

  it('traces an async generator until it finishes, collecting the yielded text', async () => {
    const inner = observe('inner', () => 'x');
    const stream = observe('stream', async function* (prompt: string) {
      for (const token of ['Hel', 'lo ', prompt]) {
        inner();
        yield token;
      }
    }, { type: 'chain' });

    const tokens: string[] = [];
    for await (const token of stream('you')) tokens.push(token);
    expect(tokens).toEqual(['Hel', 'lo ', 'you']);

    const span = await tracing.exportedSpan('stream');
    expect(span.attributes).toMatchObject({ 'observa.input': 'you', 'observa.output': 'Hello you' });
    const children = (await tracing.exported()).filter((s) => s.name === 'inner');
    expect(children).toHaveLength(3);
    for (const child of children) expect(parentOf(child)).toBe(span.spanContext().spanId);
    // Each span anchors its clock on Date.now() at start, so ends of different spans compare to ~1 ms.
    const lastChildEnd = Math.max(...children.map((c) => c.endTime[0] * 1e9 + c.endTime[1]));
    expect(span.endTime[0] * 1e9 + span.endTime[1]).toBeGreaterThanOrEqual(lastChildEnd - 2e6);
  });

  it('ends a generator span when the consumer stops early, and collects non-text values as JSON', async () => {
    const numbers = observe('numbers', async function* () {
      for (let i = 0; ; i++) yield { i };
    });
    for await (const item of numbers()) if (item.i === 1) break;
    expect((await tracing.exportedSpan('numbers')).attributes['observa.output']).toBe('[{"i":0},{"i":1}]');
  });

  it('records errors and rethrows them unchanged (sync, async, generator)', async () => {
    const boom = new TypeError('boom');
    expect(() => observe('sync-fail', () => { throw boom; })()).toThrow(boom);
    await expect(observe('async-fail', async () => { throw boom; })()).rejects.toBe(boom);
    const failing = observe('gen-fail', async function* () {
      yield 'partial';
      throw boom;
    });
    const seen: string[] = [];
    await expect((async () => { for await (const item of failing()) seen.push(item); })()).rejects.toBe(boom);
    expect(seen).toEqual(['partial']);

    for (const name of ['sync-fail', 'async-fail', 'gen-fail']) {
      const span = await tracing.exportedSpan(name);
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
      expect(span.attributes['error.type']).toBe('TypeError');
      expect(span.events.map((e) => [e.name, e.attributes?.['exception.type'], e.attributes?.['exception.message']])).toEqual([['exception', 'TypeError', 'boom']]);
    }
    expect((await tracing.exportedSpan('gen-fail')).attributes['observa.output']).toBe('partial');
  });

  it('captures nothing when asked not to, and survives values JSON cannot hold', async () => {
    observe('private', (secret: string) => secret.length, { captureInput: false, captureOutput: false })('hunter2');
    const cyclic: Record<string, unknown> = { big: 10n };
    cyclic.self = cyclic;
    observe('odd', (value: unknown) => value)(cyclic);

    expect((await tracing.exportedSpan('private')).attributes).toEqual({});
    expect((await tracing.exportedSpan('odd')).attributes['observa.input']).toBe('{"big":"10","self":"[Circular]"}');
  });
});
