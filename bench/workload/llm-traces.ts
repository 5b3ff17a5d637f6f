/**
 * The LLM workload of the throughput benches: traces of agent runs (an agent span, LLM calls with 1-8 KB
 * prompts and answers, tool runs, sometimes a retrieval), each written in one of five instrumentation
 * conventions, as SDK ReadableSpans that the real OTLP exporters and serializers take. Every span has
 * 20-40 attributes; sessions and users spread over a few hundred values; a few calls fail.
 */
import { SpanStatusCode, TraceFlags, type Attributes, type HrTime, type SpanContext } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { seededRandom } from '../random.ts';
import type { Convention, SpanShape, TraceFacts } from './convention.ts';
import { langfuse } from './conventions/langfuse.ts';
import { openInference } from './conventions/openinference.ts';
import { openLlmetry } from './conventions/openllmetry.ts';
import { otelGenAi } from './conventions/otel-genai.ts';
import { vercelAi } from './conventions/vercel-ai.ts';
import { planTrace, type Step } from './trace-plan.ts';

const CONVENTIONS: readonly Convention[] = [otelGenAi, openInference, openLlmetry, vercelAi, langfuse];

/** Traces start one after another from here (a fixed instant, so a seed always gives the same bytes). */
const FIRST_TRACE_MS = Date.UTC(2026, 5, 1, 8);
const MIN_ATTRIBUTES = 20;
const MAX_ATTRIBUTES = 40;

/** `traces` traces of an LLM app, deterministic for a seed. */
export function llmTraces(options: { seed: number; traces: number }): ReadableSpan[] {
  const random = seededRandom(options.seed);
  const spans: ReadableSpan[] = [];
  let startMs = FIRST_TRACE_MS;
  for (let i = 0; i < options.traces; i++) {
    const convention = CONVENTIONS[Math.floor(random() * CONVENTIONS.length)];
    const plan = planTrace(random, startMs);
    const traceId = randomHex(random, 4);
    const rootContext = spanContext(traceId, randomHex(random, 2));
    for (const step of plan.steps) {
      const shape = spanShape(convention, plan.facts, step);
      const attributes = filledUp(shape.attributes, plan.metadata, convention.metadataPrefix, random);
      const isRoot = step.kind === 'agent';
      spans.push(readableSpan({
        shape,
        attributes,
        context: isRoot ? rootContext : spanContext(traceId, randomHex(random, 2)),
        parent: isRoot ? undefined : rootContext,
        startMs: step.startMs,
        endMs: step.endMs,
        failure: failureOf(step),
        successStatus: convention.successStatus,
        resource: convention.resource,
      }));
    }
    startMs += 200 + random() * 3400;
  }
  return spans;
}

/**
 * The same spans under fresh trace and span ids (parent links kept consistent), cheap: for sending the
 * same workload repeatedly without the collector deduplicating it. Shallow copies: attributes, events
 * and times are shared with the originals.
 */
export function withFreshIds(spans: ReadableSpan[], random: () => number): ReadableSpan[] {
  const traceIds = new Map<string, string>();
  const spanIds = new Map<string, string>();
  const fresh = (ids: Map<string, string>, old: string, words: number) => {
    let id = ids.get(old);
    if (id === undefined) ids.set(old, (id = randomHex(random, words)));
    return id;
  };
  return spans.map((span) => {
    const old = span.spanContext();
    const traceId = fresh(traceIds, old.traceId, 4);
    const context = spanContext(traceId, fresh(spanIds, old.spanId, 2));
    const parent = span.parentSpanContext && spanContext(traceId, fresh(spanIds, span.parentSpanContext.spanId, 2));
    return { ...span, spanContext: () => context, parentSpanContext: parent };
  });
}

/** The ExportTraceServiceRequest bytes the OTLP/HTTP protobuf exporter would send for these spans. */
export function encodeOtlpProtobuf(spans: ReadableSpan[]): Uint8Array {
  const bytes = ProtobufTraceSerializer.serializeRequest(spans);
  if (bytes === undefined) throw new Error('the OTLP serializer returned nothing');
  return bytes;
}

function spanShape(convention: Convention, facts: TraceFacts, step: Step): SpanShape {
  switch (step.kind) {
    case 'agent': return convention.agent(facts);
    case 'llm': return convention.llm(facts, step.call);
    case 'tool': return convention.tool(facts, step.run);
    case 'retrieval': return convention.retrieval(facts, step.retrieval);
  }
}

function failureOf(step: Step): { type: string; message: string } | undefined {
  if (step.kind === 'llm') return step.call.error;
  if (step.kind === 'tool') return step.run.error;
  return undefined;
}

/** The convention's attributes, then the app's metadata under the convention's prefix up to 20-40 in all. */
function filledUp(attributes: Attributes, metadata: [string, string | number | boolean][], prefix: string, random: () => number): Attributes {
  const count = Object.keys(attributes).length;
  if (count > MAX_ATTRIBUTES) throw new Error(`a workload span has ${count} attributes, more than ${MAX_ATTRIBUTES}`);
  const target = Math.max(count, MIN_ATTRIBUTES + Math.floor(random() * (MAX_ATTRIBUTES - MIN_ATTRIBUTES + 1)));
  for (let i = 0; i < target - count; i++) attributes[prefix + metadata[i][0]] = metadata[i][1];
  return attributes;
}

interface SpanParts {
  shape: SpanShape;
  attributes: Attributes;
  context: SpanContext;
  parent: SpanContext | undefined;
  startMs: number;
  endMs: number;
  failure: { type: string; message: string } | undefined;
  successStatus: SpanStatusCode;
  resource: Convention['resource'];
}

function readableSpan(parts: SpanParts): ReadableSpan {
  const { shape, failure, startMs, endMs } = parts;
  const events: TimedEvent[] = (shape.events ?? []).map((e) => ({ name: e.name, time: hrTime(e.atMs), attributes: e.attributes }));
  if (failure) {
    events.push({
      name: 'exception',
      time: hrTime(endMs - 0.2),
      attributes: { 'exception.type': failure.type, 'exception.message': failure.message, 'exception.stacktrace': `${failure.type}: ${failure.message}\n    at APIError.generate (node_modules/openai/error.js:66:20)\n    at OpenAI.makeStatusError (node_modules/openai/core.js:286:25)\n    at OpenAI.makeRequest (node_modules/openai/core.js:330:30)` },
    });
  }
  const context = parts.context;
  return {
    name: shape.name,
    kind: shape.kind,
    spanContext: () => context,
    parentSpanContext: parts.parent,
    startTime: hrTime(startMs),
    endTime: hrTime(endMs),
    status: failure ? { code: SpanStatusCode.ERROR, message: failure.message } : { code: parts.successStatus },
    attributes: parts.attributes,
    links: [],
    events,
    duration: hrTime(endMs - startMs),
    ended: true,
    resource: parts.resource,
    instrumentationScope: shape.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

function spanContext(traceId: string, spanId: string): SpanContext {
  return { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
}

/** Milliseconds (fractional) as [seconds, nanoseconds], to the microsecond. */
function hrTime(ms: number): HrTime {
  const micros = Math.round(ms * 1000);
  return [Math.floor(micros / 1e6), (micros % 1e6) * 1000];
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * `words` random 32-bit words as lowercase hex (4 for a trace id, 2 for a span id). Byte by byte from a
 * table: `toString(16)` of numbers above 2^31 costs several times more, and this runs per span per send.
 */
function randomHex(random: () => number, words: number): string {
  let hex = '';
  for (let i = 0; i < words; i++) {
    const word = (random() * 0x100000000) >>> 0;
    hex += BYTE_HEX[word >>> 24] + BYTE_HEX[(word >>> 16) & 0xff] + BYTE_HEX[(word >>> 8) & 0xff] + BYTE_HEX[word & 0xff];
  }
  return hex;
}
