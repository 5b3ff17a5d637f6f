/** Canonical events for analytics-store tests: every field set away from its default. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { CanonicalEvent } from '../../events/canonical-event.ts';
import type { AnalyticsStore, Scope } from './analytics-store.ts';

/** A tenant and project nobody else uses, so tests can share one data directory. */
export function freshScope(): Scope {
  return { tenantId: `t-${randomUUID()}`, projectId: `p-${randomUUID()}` };
}

export const traceId = () => randomBytes(16).toString('hex');
export const spanId = () => randomBytes(8).toString('hex');

/** The spans of one trace as the store reads them back. */
export const readTrace = (store: AnalyticsStore, scope: Scope, trace: string) => store.query('trace_spans', { ...scope, traceId: trace });
/** How many spans the project holds, each counted once. */
export const countSpans = async (store: AnalyticsStore, scope: Scope) => (await store.query('span_count', scope))[0].spans;

export function fullEvent(scope: Scope, trace: string, span: string, overrides: Partial<CanonicalEvent> = {}): CanonicalEvent {
  return {
    tenant_id: scope.tenantId, project_id: scope.projectId, trace_id: trace, span_id: span,
    parent_span_id: 'a1b2c3d4e5f60718',
    type: 'llm', operation_name: 'chat', name: 'chat gpt-4o 🚀', span_kind: 'client',
    service_name: 'checkout-sérvice', scope_name: '@observa/sdk', environment: 'production',
    start_time: '2024-05-01T12:00:00.123456789Z', end_time: '2024-05-01T12:00:01.987654321Z',
    duration_ms: 1864.197532, status: 'error',
    status_message: 'rate limited — 请稍后再试 🙏\n"quoted"\t\\ back\\slash',
    error_type: 'RateLimitError', provider: 'openai', model: 'gpt-4o-2024-08-06',
    // Past 2^32 and up to 2^53 - 1: counts must survive UInt64 and JSON without rounding.
    input_tokens: 9_007_199_000_000_000, output_tokens: 254_740_991, total_tokens: Number.MAX_SAFE_INTEGER,
    cache_read_tokens: 4_294_967_297, cache_write_tokens: 64, reasoning_tokens: 256,
    usage_source: 'reported', cost_usd: 0.000123456789, cost_source: 'computed', counts_usage: false,
    session_id: 'sess-🧵-1', user_id: 'user@example.com', conversation_id: 'conv-42',
    tags: ['beta', 'emoji 🏷️', 'quote"s', ''],
    metadata: { 'customer.tier': 'gold', 'emoji 🎉': 'ça marche ✅', empty: '' },
    input: [
      { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Zürich? 🌦️' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Zürich', days: 2 } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: { temp_c: 14.5, rain: true } }] },
    ],
    output: [{ role: 'assistant', parts: [{ type: 'text', content: '14.5 °C, rain ☔' }], finish_reason: 'stop' }],
    tool_name: 'get_weather', time_to_first_token_ms: 123.456, finish_reason: 'stop',
    attributes: { 'gen_ai.request.temperature': 0.2, 'custom.flags': [true, null, 'x'], 'custom.nested': { a: { b: 1 } } },
    resource_attributes: { 'service.name': 'checkout-sérvice', 'telemetry.sdk.language': 'nodejs' },
    events: [{ time: '2024-05-01T12:00:00.500000001Z', name: 'exception', attributes: { 'exception.type': 'RateLimitError' } }],
    retention_days: 400,
    ...overrides,
  };
}
