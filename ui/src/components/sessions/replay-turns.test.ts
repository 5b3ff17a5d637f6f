import { describe, expect, it } from 'vitest';
import type { Message, Span, TraceDetail, TraceSummary } from '../../api/types.ts';
import { replayTurns } from './replay-turns.ts';

const msg = (role: string, text: string): Message => ({ role, parts: [{ type: 'text', content: text }] });
const texts = (messages: Message[]) => messages.map((m) => `${m.role}: ${m.parts[0].content}`);

function trace(id: string, previews: Partial<TraceSummary> = {}): TraceSummary {
  return { trace_id: id, input_preview: null, output_preview: null, ...previews } as TraceSummary;
}

function detail(...calls: [Message[], Message[]][]): TraceDetail {
  const spans = calls.map(([input, output]) => ({ type: 'llm', input, output }) as unknown as Span);
  return { trace: {} as TraceSummary, spans: [{ type: 'chain', input: null, output: null } as unknown as Span, ...spans], scores: [] };
}

const system = msg('system', 'Be brief.');
const q1 = msg('user', 'Capital of France?');
const a1 = msg('assistant', 'Paris.');
const q2 = msg('user', 'And of Italy?');
const a2 = msg('assistant', 'Rome.');

describe('replayTurns', () => {
  it('shows each message once: the new question and the answer, not the re-sent history', () => {
    const traces = [trace('1'), trace('2')];
    const turns = replayTurns(traces, [detail([[system, q1], [a1]]), detail([[system, q1, a1, q2], [a2]])]);
    expect(texts(turns[0]!.messages)).toEqual(['user: Capital of France?', 'assistant: Paris.']);
    expect(texts(turns[1]!.messages)).toEqual(['user: And of Italy?', 'assistant: Rome.']);
    expect(turns[1]!.fullInput).toHaveLength(4);
  });

  it('follows tool calls inside a turn and skips a wrapper span that repeats the call', () => {
    const call = { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'weather', arguments: { city: 'Paris' } }] };
    const result = { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'sunny' }] };
    const answer = msg('assistant', 'It is sunny.');
    const turns = replayTurns([trace('1')], [detail([[q1], [call]], [[q1], [call]], [[q1, call, result], [answer]])]);
    expect(turns[0]!.messages).toEqual([q1, call, result, answer]);
  });

  it('reads a turn on its own while the one before is loading, and falls back to previews', () => {
    const traces = [trace('1'), trace('2'), trace('3', { input_preview: 'hi', output_preview: 'hello' })];
    const turns = replayTurns(traces, [undefined, detail([[system, q1, a1, q2], [a2]]), detail()]);
    expect(turns[0]).toBeNull();
    expect(texts(turns[1]!.messages)).toEqual(['user: And of Italy?', 'assistant: Rome.']);
    expect(turns[2]).toMatchObject({ source: 'preview', messages: [msg('user', 'hi'), msg('assistant', 'hello')] });
  });

  it('when the history was trimmed, shows what follows the last answer', () => {
    const turns = replayTurns([trace('1'), trace('2')], [detail([[system, q1], [a1]]), detail([[msg('system', 'Summary: France.'), a1, q2], [a2]])]);
    expect(texts(turns[1]!.messages)).toEqual(['user: And of Italy?', 'assistant: Rome.']);
  });
});
