import { describe, expect, it } from 'vitest';
import { emptyEvent, type CanonicalEvent } from '../events/canonical-event.ts';
import { PREVIEW_CHARS, previewText, traceDeltas } from './trace-delta.ts';

const TRACE = 'a'.repeat(32);
const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000000000Z`;
const text = (role: string, content: string) => [{ role, parts: [{ type: 'text', content }] }];

function span(overrides: Partial<CanonicalEvent>): CanonicalEvent {
  return { ...emptyEvent(), tenant_id: 't', project_id: 'p', trace_id: TRACE, span_id: 'b'.repeat(16), parent_span_id: 'c'.repeat(16), name: 'child', start_time: at(1), end_time: at(2), ...overrides };
}

describe('traceDeltas', () => {
  it('names the trace after its root span even when a child started earlier in the batch', () => {
    const [delta] = traceDeltas([span({ name: 'early child', start_time: at(0) }), span({ span_id: 'd'.repeat(16), parent_span_id: '', name: 'root', start_time: at(1), end_time: at(9) })]);
    expect(delta).toMatchObject({ name: 'root', root_span_id: 'd'.repeat(16), start_time: at(0), end_time: at(9), span_count: 2 });
  });

  it('without a root, the earliest span names the trace', () => {
    const [delta] = traceDeltas([span({ name: 'later', start_time: at(5), end_time: at(6) }), span({ name: 'earliest', start_time: at(3) })]);
    expect(delta.name).toBe('earliest');
    expect(delta.root_span_id).toBe('');
  });

  it('sums usage only of spans that count it, and collects models and tags once', () => {
    const [delta] = traceDeltas([
      span({ type: 'llm', model: 'gpt-4o', input_tokens: 100, output_tokens: 10, total_tokens: 110, cache_read_tokens: 80, cost_usd: 0.5, tags: ['a'] }),
      span({ type: 'llm', model: 'gpt-4o', input_tokens: 100, output_tokens: 10, total_tokens: 110, cost_usd: 0.5, counts_usage: false, tags: ['a', 'b'] }),
      span({ type: 'llm', model: 'claude', input_tokens: 1, output_tokens: 2, total_tokens: 3, status: 'error' }),
    ]);
    expect(delta).toMatchObject({ llm_call_count: 2, input_tokens: 101, output_tokens: 12, total_tokens: 113, cache_read_tokens: 80, total_cost_usd: 0.5, models: ['claude', 'gpt-4o'], tags: ['a', 'b'], error_count: 1 });
  });

  it('names models that reported usage without a price', () => {
    const [delta] = traceDeltas([
      span({ model: 'priced', usage_source: 'reported', total_tokens: 5, cost_usd: 0.1, cost_source: 'computed' }),
      span({ model: 'mystery-llm', usage_source: 'reported', total_tokens: 5, cost_usd: null }),
      span({ model: 'no-usage', cost_usd: null }),
    ]);
    expect(delta.unpriced_models).toEqual(['mystery-llm']);
  });

  it('previews the root span first, else the earliest input and the latest output', () => {
    const children = [
      span({ input: text('user', 'first question'), output: text('assistant', 'first answer'), start_time: at(1), end_time: at(2) }),
      span({ input: text('user', 'second question'), output: text('assistant', 'second answer'), start_time: at(3), end_time: at(4) }),
    ];
    expect(traceDeltas(children)[0]).toMatchObject({ input_preview: 'first question', output_preview: 'second answer', input_preview_rank: 1 });
    const root = span({ parent_span_id: '', input: text('user', 'root question'), output: text('assistant', 'root answer'), start_time: at(5), end_time: at(6) });
    expect(traceDeltas([...children, root])[0]).toMatchObject({ input_preview: 'root question', output_preview: 'root answer', input_preview_rank: 2 });
  });
});

describe('previewText', () => {
  it('takes the last user turn, skips non-text parts, and truncates', () => {
    const messages = [
      ...text('system', 'be brief'),
      ...text('user', 'old'),
      { role: 'assistant', parts: [{ type: 'tool_call', id: '1', name: 'f', arguments: {} }] },
      ...text('user', 'x'.repeat(PREVIEW_CHARS + 50)),
    ];
    expect(previewText(messages, 'user')).toBe('x'.repeat(PREVIEW_CHARS));
    expect(previewText(text('tool', 'only a tool result'), 'assistant')).toBe('only a tool result');
    expect(previewText([], 'user')).toBeNull();
    expect(previewText(null, 'user')).toBeNull();
  });
});
