import { encode as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { encode as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import type { Message } from '../events/canonical-event.ts';
import { encodingFor, estimateTokens } from './estimate-tokens.ts';

const text = (role: string, content: string): Message => ({ role, parts: [{ type: 'text', content }] });

describe('encodingFor', () => {
  it('uses o200k_base for current OpenAI models and cl100k_base otherwise', () => {
    for (const m of ['gpt-4o-2024-08-06', 'openai/gpt-4.1-mini', 'gpt-5', 'o3-mini', 'o1', 'chatgpt-4o-latest']) expect(encodingFor(m), m).toBe('o200k_base');
    for (const m of ['gpt-4', 'gpt-3.5-turbo', 'text-embedding-3-small', 'claude-3-5-sonnet', 'gemini-2.5-pro', '']) expect(encodingFor(m), m).toBe('cl100k_base');
  });
});

describe('estimateTokens', () => {
  const question = 'What is the capital of France? Answer in one word, then explain briefly.';
  const answer = 'Paris. It has been the capital of France for most of its history.';

  it('counts text with the chat overhead OpenAI bills (3 per message + role, 3 for the reply)', () => {
    const tokens = estimateTokens([text('system', 'You are a helpful assistant.'), text('user', question)], [text('assistant', answer)], 'gpt-4o');
    const expectedInput = 3 + o200k('system').length + o200k('You are a helpful assistant.').length + 3 + o200k('user').length + o200k(question).length + 3;
    expect(tokens).toEqual({ input_tokens: expectedInput, output_tokens: o200k(answer).length });
    expect(tokens.input_tokens).toBeGreaterThan(15);
  });

  it('uses cl100k_base for Anthropic and others', () => {
    const tokens = estimateTokens([text('user', question)], null, 'claude-sonnet-4-5');
    expect(tokens).toEqual({ input_tokens: 3 + cl100k('user').length + cl100k(question).length + 3, output_tokens: 0 });
  });

  it('counts tool call names, JSON arguments and tool results; skips media', () => {
    const args = { city: 'Paris', unit: 'celsius' };
    const input: Message[] = [
      { role: 'user', parts: [{ type: 'text', content: 'Weather?' }, { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'iVBORw0KGgo'.repeat(500) }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: { temperature: 21 } }] },
    ];
    const output: Message[] = [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'get_weather', arguments: args }] }];
    const tokens = estimateTokens(input, output, 'gpt-4o');
    expect(tokens.output_tokens).toBe(o200k('get_weather').length + o200k(JSON.stringify(args)).length);
    const expectedInput = 3 + o200k('user').length + o200k('Weather?').length + 3 + o200k('tool').length + o200k('{"temperature":21}').length + 3;
    expect(tokens.input_tokens).toBe(expectedInput);
  });

  it('counts special-token text as text and handles empty input', () => {
    expect(estimateTokens([text('user', 'a <|endoftext|> b')], null, 'gpt-4o').input_tokens).toBeGreaterThan(6);
    expect(estimateTokens(null, null, 'gpt-4o')).toEqual({ input_tokens: 0, output_tokens: 0 });
    expect(estimateTokens([], [], 'gpt-4o')).toEqual({ input_tokens: 0, output_tokens: 0 });
  });
});
