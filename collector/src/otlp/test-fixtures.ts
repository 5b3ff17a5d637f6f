/**
 * Test-only: real OpenTelemetry SDK spans (and their expected decoded form) shared by the decoder tests,
 * so both decoders are checked against what real exporters put on the wire.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes as OtelAttributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { expect } from 'vitest';
import type { AttributeValue, Attributes, DecodedTraces } from './span.ts';

export const LINKED = { traceId: 'abcdef0123456789abcdef0123456789', spanId: '0123456789abcdef' };

/** Spans recorded through BasicTracerProvider: two scopes, a parent/child pair, events, a link, statuses. */
export function sdkSpans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'host.cores': 8 }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('my-lib', '1.2.3', { schemaUrl: 'https://opentelemetry.io/schemas/1.21.0' });
  const root = tracer.startSpan('GET /cart', {
    kind: SpanKind.SERVER,
    startTime: [1_700_000_000, 123_456_789],
    attributes: {
      'http.method': 'GET',
      'cache.hit': false,
      'http.status_code': 200,
      'neg.int': -42,
      ratio: 0.25,
      tags: ['a', 'b'],
      counts: [1, 2, 3],
      flags: [true, false],
      unicode: 'naïve ✓ 🎉',
    },
  });
  root.addEvent('cache.miss', { key: 'cart:1', size: 3 }, [1_700_000_000, 500_000_001]);
  const child = tracer.startSpan(
    'SELECT cart',
    {
      kind: SpanKind.CLIENT,
      startTime: [1_700_000_000, 200_000_000],
      links: [{ context: { ...LINKED, traceFlags: TraceFlags.SAMPLED }, attributes: { 'link.reason': 'retry' } }],
    },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  child.setStatus({ code: SpanStatusCode.OK });
  child.end([1_700_000_000, 300_000_000]);
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'boom' });
  root.end([1_700_000_001, 999_999_999]);
  const other = provider.getTracer('other-lib').startSpan('tick', { startTime: [1_700_000_002, 0] });
  other.end([1_700_000_002, 1]);
  return exporter.getFinishedSpans();
}

/**
 * A ReadableSpan built by hand, because the SDK's attribute sanitiser drops what OTLP allows but the
 * API does not: int64 beyond 2^53, bytes, nested maps, heterogeneous arrays, empty values.
 */
export function anyValueSpan(): ReadableSpan {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const spanId = 'b7ad6b7169203331';
  const attributes = {
    big: 2 ** 60,
    negBig: -(2 ** 60),
    maxSafe: Number.MAX_SAFE_INTEGER,
    bytes: Uint8Array.from([0, 1, 254, 255]),
    nested: { a: { b: [1, 'x', true, 1.5] }, empty: {} },
    mixed: ['s', 2, false, [3, [4]], { k: 'v' }],
    nothing: null,
    empty: '',
    ['__proto__']: 'own key, not a prototype',
  } as unknown as OtelAttributes;
  const resource = resourceFromAttributes({ 'service.name': 'hand-built' });
  return {
    name: 'any-values',
    kind: SpanKind.PRODUCER,
    spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED, traceState: undefined }),
    parentSpanContext: { traceId, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true },
    startTime: [1_712_345_678, 987_654_321],
    endTime: [1_712_345_679, 1],
    status: { code: SpanStatusCode.UNSET },
    attributes,
    links: [],
    events: [],
    duration: [1, 0],
    ended: true,
    resource,
    instrumentationScope: { name: 'scoped', version: '0.1.0', attributes: { 'scope.attr': 'x' } } as ReadableSpan['instrumentationScope'],
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

/** What `anyValueSpan()` must decode to (int64 beyond 2^53 as bigint, kvlist as object, bytes as Uint8Array). */
export const ANY_VALUE_ATTRIBUTES: Attributes = (() => {
  const attrs: Attributes = {
    big: 2n ** 60n,
    negBig: -(2n ** 60n),
    maxSafe: Number.MAX_SAFE_INTEGER,
    bytes: Uint8Array.from([0, 1, 254, 255]),
    nested: { a: { b: [1, 'x', true, 1.5] }, empty: {} },
    mixed: ['s', 2, false, [3, [4]], { k: 'v' }],
    nothing: null,
    empty: '',
  };
  Object.defineProperty(attrs, '__proto__', { value: 'own key, not a prototype' as AttributeValue, enumerable: true, writable: true, configurable: true });
  return attrs;
})();

/** Asserts that `decoded` is exactly what `sdkSpans()` recorded: ids, kinds, ns times, attributes, events, links, status, resource, scope. */
export function expectSdkSpansDecoded(decoded: DecodedTraces, recorded: ReadableSpan[]): void {
  expect(decoded.rejected).toEqual([]);
  // Same order as recorded (the exporter groups by resource, then scope, keeping span order within).
  expect(decoded.spans.map((s) => s.name)).toEqual(recorded.map((s) => s.name));
  const byName = Object.fromEntries(decoded.spans.map((s) => [s.name, s]));
  const [root, child, tick] = [byName['GET /cart'], byName['SELECT cart'], byName['tick']];
  const rec = Object.fromEntries(recorded.map((s) => [s.name, s]));
  const rootCtx = rec['GET /cart'].spanContext();
  const flags = 0x100 | TraceFlags.SAMPLED; // HAS_IS_REMOTE | sampled

  expect(root).toMatchObject({
    traceId: rootCtx.traceId,
    spanId: rootCtx.spanId,
    parentSpanId: '',
    traceState: '',
    kind: 2, // SERVER: OTLP = API kind + 1
    startTimeUnixNano: 1_700_000_000_123_456_789n,
    endTimeUnixNano: 1_700_000_001_999_999_999n,
    status: { code: 2, message: 'boom' },
    flags,
  });
  expect(root.attributes).toEqual({
    'http.method': 'GET',
    'cache.hit': false,
    'http.status_code': 200,
    'neg.int': -42,
    ratio: 0.25,
    tags: ['a', 'b'],
    counts: [1, 2, 3],
    flags: [true, false],
    unicode: 'naïve ✓ 🎉',
  });
  expect(root.events).toEqual([{ timeUnixNano: 1_700_000_000_500_000_001n, name: 'cache.miss', attributes: { key: 'cart:1', size: 3 } }]);
  expect(root.links).toEqual([]);

  expect(child).toMatchObject({
    traceId: rootCtx.traceId,
    spanId: rec['SELECT cart'].spanContext().spanId,
    parentSpanId: rootCtx.spanId,
    kind: 3, // CLIENT
    startTimeUnixNano: 1_700_000_000_200_000_000n,
    endTimeUnixNano: 1_700_000_000_300_000_000n,
    status: { code: 1, message: '' },
    attributes: {},
    events: [],
  });
  expect(child.links).toEqual([{ ...LINKED, attributes: { 'link.reason': 'retry' }, traceState: '', flags }]);

  expect(tick).toMatchObject({ kind: 1, startTimeUnixNano: 1_700_000_002_000_000_000n, endTimeUnixNano: 1_700_000_002_000_000_001n, status: { code: 0, message: '' } });

  // One resource object per ResourceSpans and one scope object per ScopeSpans, shared by their spans.
  expect(root.resource.attributes).toEqual(rec['GET /cart'].resource.attributes);
  expect(root.resource.attributes['service.name']).toBe('checkout');
  expect(root.resource.attributes['host.cores']).toBe(8);
  expect(child.resource).toBe(root.resource);
  expect(tick.resource).toBe(root.resource);
  expect(root.scope).toEqual({ name: 'my-lib', version: '1.2.3', attributes: {}, schemaUrl: 'https://opentelemetry.io/schemas/1.21.0' });
  expect(child.scope).toBe(root.scope);
  expect(tick.scope).toEqual({ name: 'other-lib', version: '', attributes: {}, schemaUrl: '' });
}
