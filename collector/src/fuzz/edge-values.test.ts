/**
 * Validation at the edges, one table row per rule, through the real HTTP endpoints: each out-of-range
 * value is either normalised with a recorded warning (observa.warnings on the stored span, `warnings`
 * in the events API answer) or its span is rejected with a reason; the stores never see it as sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../events/canonical-event.ts';
import { MAX_COST_USD, MAX_STRING_CHARS, MAX_TOKENS } from '../pipeline/enrich.ts';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { jsonSpan, otlpJson, randomSpanId, randomTraceId } from '../testing/otlp-json.ts';

let collector: TestCollector;

beforeAll(async () => {
  collector = await startTestCollector();
});
afterAll(async () => {
  await collector?.close();
});

const DAY_NS = 86_400_000_000_000n;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;
const long = 'y'.repeat(MAX_STRING_CHARS + 10);
const chat = { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' };

/** What is stored for a span: its analytics row and its trace summary (null when absent). */
async function stored(traceId: string) {
  await collector.shipped();
  const scope = { tenantId: collector.tenantId, projectId: collector.projectId };
  const [event] = (await collector.analytics.query('trace_spans', { ...scope, traceId })) as CanonicalEvent[];
  const summary = await collector.db('trace_summaries').where({ project_id: collector.projectId, trace_id: traceId }).first();
  return { event: event ?? null, summary: summary ?? null };
}

interface OtlpRow {
  rule: string;
  span: (traceId: string) => object;
  /** The partial_success reason when the span is rejected. */
  rejected?: RegExp;
  /** What the stored span must show, and the warning recorded on it. */
  stored?: Partial<CanonicalEvent> | ((event: CanonicalEvent) => void);
  warning?: RegExp;
}

const OTLP_ROWS: OtlpRow[] = [
  { rule: 'NUL in the span name is replaced', span: (t) => jsonSpan({ traceId: t, name: 'a\u0000b' }), stored: { name: 'a\uFFFDb' }, warning: /^name: NUL/ },
  { rule: 'NUL in an attribute value is replaced', span: (t) => jsonSpan({ traceId: t, attributes: { x: 'a\u0000' } }), stored: (e) => expect(e.attributes.x).toBe('a\uFFFD'), warning: /attributes\.x: NUL/ },
  { rule: 'NUL in an attribute key is replaced', span: (t) => jsonSpan({ traceId: t, attributes: { 'k\u0000': 'v' } }), stored: (e) => expect(e.attributes['k\uFFFD']).toBe('v'), warning: /in the key/ },
  { rule: 'an unpaired surrogate in the span name is replaced', span: (t) => jsonSpan({ traceId: t, name: 'a\ud800' }), stored: { name: 'a\uFFFD' }, warning: /^name: unpaired UTF-16 surrogate/ },
  { rule: 'NUL in the status message is replaced', span: (t) => ({ ...jsonSpan({ traceId: t }), status: { code: 2, message: 'boom\u0000' } }), stored: { status_message: 'boom\uFFFD' }, warning: /status_message: NUL/ },
  {
    rule: 'a JSON-escaped NUL inside message content is replaced',
    span: (t) => jsonSpan({ traceId: t, attributes: { ...chat, 'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'hi\u0000' }] }]) } }),
    stored: (e) => expect(e.input?.[0].parts[0].content).toBe('hi\uFFFD'),
    warning: /^input\.0\.parts\.0\.content: NUL/,
  },
  {
    rule: `a string over ${MAX_STRING_CHARS} characters is cut with a marker`,
    span: (t) => jsonSpan({ traceId: t, attributes: { big: long } }),
    stored: (e) => expect(e.attributes.big).toBe(`${'y'.repeat(MAX_STRING_CHARS - 40)}…[truncated 50 chars]`),
    warning: /attributes\.big: 262154 characters truncated/,
  },
  { rule: `a token count over ${MAX_TOKENS} becomes 0`, span: (t) => jsonSpan({ traceId: t, attributes: { ...chat, 'gen_ai.usage.output_tokens': '9223372036854775808', 'gen_ai.usage.input_tokens': 5 } }), stored: { output_tokens: 0, input_tokens: 5 }, warning: /output_tokens 9223372036854776000 is not an integer/ },
  { rule: 'a negative token count is not read as usage', span: (t) => jsonSpan({ traceId: t, attributes: { ...chat, 'gen_ai.usage.input_tokens': -5 } }), stored: { input_tokens: 0 } },
  { rule: 'NaN / Infinity token counts are not read as usage', span: (t) => jsonSpan({ traceId: t, attributes: { ...chat, 'gen_ai.usage.input_tokens': 'NaN', 'gen_ai.usage.output_tokens': 'Infinity' } }), stored: { input_tokens: 0, output_tokens: 0 } },
  {
    rule: `a reported cost over ${MAX_COST_USD} USD is dropped`,
    span: (t) => jsonSpan({ traceId: t, attributes: { 'langfuse.observation.type': 'generation', 'langfuse.observation.cost_details': '{"total": 1e300}' } }),
    stored: { cost_usd: null, cost_source: 'none' },
    warning: /cost_usd 1e\+300 is not in/,
  },
  { rule: 'end before start is set to the start', span: (t) => jsonSpan({ traceId: t, durationMs: -5 }), stored: { duration_ms: 0 }, warning: /before start time .*set to the start/ },
  { rule: 'a trace id of the wrong length is rejected', span: () => jsonSpan({ traceId: 'abcd' }), rejected: /trace_id must be 16 bytes, got 2/ },
  { rule: 'an all-zero span id is rejected', span: (t) => jsonSpan({ traceId: t, spanId: '0'.repeat(16) }), rejected: /span_id must not be all zeros/ },
  { rule: 'a negative timestamp is rejected', span: (t) => ({ ...jsonSpan({ traceId: t }), startTimeUnixNano: '-1' }), rejected: /unsigned 64-bit integer/ },
  { rule: 'a start before 2000 (milliseconds sent as ns) is rejected', span: (t) => ({ ...jsonSpan({ traceId: t }), startTimeUnixNano: String(Date.now()), endTimeUnixNano: String(Date.now()) }), rejected: /before 2000-01-01/ },
  { rule: 'a start more than 1 day ahead is rejected', span: (t) => ({ ...jsonSpan({ traceId: t }), startTimeUnixNano: String(nowNs() + 2n * DAY_NS), endTimeUnixNano: String(nowNs() + 2n * DAY_NS) }), rejected: /more than 1 day in the future/ },
  { rule: 'uint64 max end time is rejected', span: (t) => ({ ...jsonSpan({ traceId: t }), endTimeUnixNano: '18446744073709551615' }), rejected: /end time .* more than 1 day in the future/ },
];

describe('OTLP /v1/traces', () => {
  it.each(OTLP_ROWS)('$rule', async (row) => {
    const traceId = randomTraceId();
    const response = await collector.request('/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(otlpJson([row.span(traceId)])) });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { partialSuccess?: { rejectedSpans: string; errorMessage: string } };
    const { event, summary } = await stored(traceId);
    if (row.rejected) {
      expect(answer.partialSuccess?.rejectedSpans).toBe('1');
      expect(answer.partialSuccess?.errorMessage).toMatch(row.rejected);
      expect(event).toBeNull();
      expect(summary).toBeNull();
      return;
    }
    expect(answer.partialSuccess).toBeUndefined();
    expect(event).not.toBeNull();
    expect(summary).not.toBeNull();
    if (typeof row.stored === 'function') row.stored(event!);
    else expect(event).toMatchObject(row.stored!);
    const warnings = (event!.attributes['observa.warnings'] ?? []) as string[];
    if (row.warning) expect(warnings.some((w) => row.warning!.test(w)), JSON.stringify(warnings)).toBe(true);
    expect(JSON.stringify(event)).not.toContain('\\u0000');
  });
});

interface EventRow {
  rule: string;
  event: Record<string, unknown>;
  rejected?: RegExp;
  stored?: Partial<CanonicalEvent> | ((event: CanonicalEvent) => void);
  warning?: RegExp;
}

const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();

const EVENT_ROWS: EventRow[] = [
  { rule: 'NUL in the name is replaced', event: { name: 'a\u0000' }, stored: { name: 'a\uFFFD' }, warning: /name: NUL/ },
  { rule: 'an unpaired surrogate in the name is replaced', event: { name: '\udc00b' }, stored: { name: '\uFFFDb' }, warning: /name: unpaired UTF-16 surrogate/ },
  { rule: 'NUL deep in attributes is replaced', event: { attributes: { a: { b: ['\u0000'] } } }, stored: (e) => expect(e.attributes.a).toEqual({ b: ['\uFFFD'] }), warning: /attributes\.a\.b\.0: NUL/ },
  { rule: 'nesting deeper than 66 levels is cut with a marker', event: { attributes: JSON.parse(`${'{"a":'.repeat(200)}1${'}'.repeat(200)}`) }, stored: (e) => expect(JSON.stringify(e.attributes)).toContain('[nested deeper than 66 levels]'), warning: /nested deeper than 66 levels/ },
  {
    rule: `a string over ${MAX_STRING_CHARS} characters is cut once, marker included`,
    event: { attributes: { big: long } },
    stored: (e) => {
      expect(e.attributes.big).toBe(`${'y'.repeat(MAX_STRING_CHARS - 40)}…[truncated 50 chars]`);
      expect(e.attributes['observa.warnings']).toEqual(['attributes.big: 262154 characters truncated to 262144']);
    },
    warning: /truncated to 262144/,
  },
  { rule: 'end before start is set to the start', event: { start_time: iso(nowNs()), end_time: iso(nowNs() - 60_000_000_000n) }, stored: { duration_ms: 0 }, warning: /before start_time: set to the start/ },
  { rule: 'a negative token count is rejected', event: { input_tokens: -1 }, rejected: /input_tokens must be >= 0/ },
  { rule: `a token count over ${MAX_TOKENS} is rejected`, event: { output_tokens: 2 ** 63 }, rejected: /output_tokens must be <= 1000000000/ },
  { rule: 'a negative cost is rejected', event: { cost_usd: -1 }, rejected: /cost_usd must be >= 0/ },
  { rule: `a cost over ${MAX_COST_USD} USD is rejected`, event: { cost_usd: 1e308 }, rejected: /cost_usd must be <= 1000000/ },
  { rule: 'a start before 2000 is rejected', event: { start_time: '1970-01-01T00:00:00Z' }, rejected: /before 2000-01-01/ },
  { rule: 'a start more than 1 day ahead is rejected', event: { start_time: '9999-01-01T00:00:00Z' }, rejected: /more than 1 day in the future/ },
  { rule: 'a trace id of the wrong length is rejected', event: { trace_id: 'abcd' }, rejected: /trace_id must match pattern/ },
];

describe('events API /api/v1/events/ingest', () => {
  it.each(EVENT_ROWS)('$rule', async (row) => {
    const traceId = randomTraceId();
    const event = { trace_id: traceId, span_id: randomSpanId(), name: 'e', start_time: new Date().toISOString(), ...row.event };
    const response = await collector.request('/api/v1/events/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([event]) });
    const answer = (await response.json()) as { accepted: number; rejected: { reason: string }[]; warnings?: { warning: string }[] };
    const { event: kept, summary } = await stored(traceId);
    if (row.rejected) {
      expect(response.status).toBe(400);
      expect(answer.rejected[0].reason).toMatch(row.rejected);
      expect(kept).toBeNull();
      expect(summary).toBeNull();
      return;
    }
    expect(response.status).toBe(200);
    expect(answer.accepted).toBe(1);
    if (typeof row.stored === 'function') row.stored(kept!);
    else expect(kept).toMatchObject(row.stored!);
    expect(summary).not.toBeNull();
    if (row.warning) {
      expect(answer.warnings?.some((w) => row.warning!.test(w.warning)), JSON.stringify(answer.warnings)).toBe(true);
      expect((kept!.attributes['observa.warnings'] as string[]).some((w) => row.warning!.test(w))).toBe(true);
    }
    expect(JSON.stringify(kept)).not.toContain('\\u0000');
  });
});
