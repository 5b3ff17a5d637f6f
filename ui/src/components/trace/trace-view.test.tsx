import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { Score, Span, TraceDetail, TraceSummary } from '../../api/types.ts';
import { TraceView } from './trace-view.tsx';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const TRACE = 'a'.repeat(32);

function span(id: string, parent: string, offset: number, duration: number, extra: Partial<Span> = {}): Span {
  return {
    trace_id: TRACE, span_id: id, parent_span_id: parent, type: 'span', operation_name: '', name: id, span_kind: 'internal', service_name: 'app',
    start_time: new Date(T0 + offset).toISOString(), end_time: new Date(T0 + offset + duration).toISOString(), duration_ms: duration,
    status: 'unset', status_message: '', error_type: '', provider: '', model: '',
    input_tokens: 0, output_tokens: 0, total_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0,
    usage_source: 'none', cost_usd: null as unknown as number, cost_source: 'none',
    session_id: '', user_id: '', conversation_id: '', tags: [], metadata: {}, input: null, output: null, tool_name: '',
    time_to_first_token_ms: null, finish_reason: '', attributes: {}, resource_attributes: {}, events: [],
    ...extra,
  } as Span;
}

function detail(spans: Span[], scores: Score[] = [], summary: Partial<TraceSummary> = {}): TraceDetail {
  return {
    trace: {
      trace_id: TRACE, project_id: 'p', name: 'root', root_span_id: 'r', service_name: 'app', environment: '', start_time: new Date(T0).toISOString(),
      end_time: new Date(T0 + 1000).toISOString(), duration_ms: 1000, status: 'ok', span_count: spans.length, llm_call_count: 1, error_count: 0,
      input_tokens: 0, output_tokens: 0, total_tokens: 0, cache_read_tokens: 0, reasoning_tokens: 0, total_cost_usd: 0,
      session_id: null, user_id: null, conversation_id: null, models: [], unpriced_models: [], tags: [], input_preview: null, output_preview: null,
      ...summary,
    },
    spans,
    scores,
  };
}

const noop = () => {};
function render(data: TraceDetail, selectedId?: string, tab?: string): string {
  return renderToString(<TraceView projectId="p" detail={data} selectedId={selectedId} tab={tab} onSelect={noop} onTab={noop} onReload={noop} />);
}

const llm = span('llm00000000000001', 'root000000000001', 10, 500, {
  type: 'llm', name: 'chat', model: 'gpt-4o-mini', provider: 'openai',
  input_tokens: 1200, cache_read_tokens: 1024, cache_write_tokens: 0, output_tokens: 300, reasoning_tokens: 120, total_tokens: 1500,
  usage_source: 'reported', cost_usd: 0.00042, cost_source: 'computed', time_to_first_token_ms: 240, finish_reason: 'stop',
  input: [{ role: 'user', parts: [{ type: 'text', content: 'Hi there' }] }],
  output: [{ role: 'assistant', parts: [{ type: 'text', content: 'Hello!' }] }],
  attributes: { 'z.last': 'x', 'a.first': { nested: [1, 2] } },
});
const failing = span('err0000000000001', 'root000000000001', 600, 100, {
  type: 'tool', name: 'search', status: 'error', status_message: 'Upstream returned 503', error_type: 'HTTPError',
  events: [{ time: new Date(T0 + 690).toISOString(), name: 'exception', attributes: { 'exception.type': 'HTTPError', 'exception.message': 'boom', 'exception.stacktrace': 'HTTPError: boom\n  at search (s.ts:1:1)' } }],
});
const root = span('root000000000001', '', 0, 1000, { type: 'agent', name: 'agent' });

describe('TraceView', () => {
  it('opens the first LLM span by default with its tokens, cost source and latency', () => {
    const html = render(detail([root, llm, failing]));
    expect(html).toMatch(/aria-selected="true" class="span-row selected"/);
    expect(html).toContain('<h2>chat</h2>');
    expect(html).toContain('1,024 cached');
    expect(html).toContain('120 reasoning');
    expect(html).toContain('$0.00042');
    expect(html).toMatch(/title="Computed by Observa from the token usage[^"]*"/);
    expect(html).toContain('240 ms'); // time to first token
    expect(html).toContain('Hi there');
    expect(html).toContain('Hello!');
  });

  it('shows a failing span with its error type, message and stack, and marks it in the tree', () => {
    const html = render(detail([root, llm, failing]), failing.span_id);
    expect(html).toContain('class="span-row selected error"');
    expect(html).toContain('class="span-bar bar-error"');
    expect(html).toMatch(/role="alert"[\s\S]*HTTPError[\s\S]*Upstream returned 503[\s\S]*at search \(s\.ts:1:1\)/);
  });

  it('lists raw attributes sorted by key, structured values as JSON', () => {
    const html = render(detail([root, llm]), llm.span_id, 'attributes');
    expect(html.indexOf('a.first')).toBeLessThan(html.indexOf('z.last'));
    expect(html).toContain('{\n  &quot;nested&quot;: [');
  });

  it('shows span scores on their span and trace scores beside them', () => {
    const scores: Score[] = [
      { id: '1', trace_id: TRACE, span_id: null, name: 'helpfulness', data_type: 'numeric', value: 0.75, comment: 'ok answer', source: 'sdk', created_at: new Date(T0).toISOString() },
      { id: '2', trace_id: TRACE, span_id: llm.span_id, name: 'thumbs', data_type: 'boolean', value: false, comment: null, source: 'ui', created_at: new Date(T0).toISOString() },
    ];
    const html = render(detail([root, llm], scores), llm.span_id, 'scores');
    expect(html).toContain('Scores (2)');
    expect(html).toMatch(/On this span[\s\S]*thumbs[\s\S]*false[\s\S]*On the trace[\s\S]*helpfulness[\s\S]*0\.75[\s\S]*ok answer/);
    expect(html).toContain('class="span-scored"');
  });

  it('falls back to the default span when the linked one is not in the trace', () => {
    expect(render(detail([root, llm]), 'ffffffffffffffff')).toContain('<h2>chat</h2>');
  });

  it('says spans are still arriving when the summary exists without them', () => {
    const html = render(detail([], [], { span_count: 3 }));
    expect(html).toContain('still arriving');
    expect(html).toContain('>Reload</button>');
  });

  it('renders a 1000-span trace as 1000 cheap rows', () => {
    const spans = [root, ...Array.from({ length: 999 }, (_, i) => span(`s${String(i).padStart(15, '0')}`, i % 10 === 0 ? root.span_id : `s${String(i - (i % 10)).padStart(15, '0')}`, i, 5, { type: i % 3 ? 'tool' : 'llm' }))];
    const html = render(detail(spans));
    expect(html.match(/role="treeitem"/g)).toHaveLength(1000);
    expect(html.match(/aria-level="3"/g)).toHaveLength(899);
  });
});
