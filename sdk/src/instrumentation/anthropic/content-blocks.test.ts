import { describe, expect, it } from 'vitest';
import { anthropicMessages, systemParts } from './content-blocks.ts';
import { anthropicUsageAttributes } from './usage.ts';

describe('anthropicMessages', () => {
  it('splits tool results out of user messages into tool messages, keeping order', () => {
    expect(
      anthropicMessages([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'before' },
            { type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'r1' }] },
            { type: 'tool_result', tool_use_id: 't2', content: 'r2', is_error: true },
            { type: 'text', text: 'after' },
          ],
        },
      ]),
    ).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'before' }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 't1', response: 'r1' }, { type: 'tool_call_response', id: 't2', response: 'r2' }] },
      { role: 'user', parts: [{ type: 'text', content: 'after' }] },
    ]);
  });

  it('converts documents, server tools, redacted thinking and unknown blocks without copying payloads', () => {
    expect(
      anthropicMessages([
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'AAAAAAAA' } },
            { type: 'document', source: { type: 'file', file_id: 'file_1' } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain text doc' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'server_tool_use', id: 'srv1', name: 'web_search', input: { query: 'paris' } },
            { type: 'web_search_tool_result', tool_use_id: 'srv1', content: [{ type: 'web_search_result', url: 'https://a' }] },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'blob', mime_type: 'application/pdf', size: 6, content_omitted: true },
          { type: 'file', file_id: 'file_1' },
          { type: 'text', content: 'plain text doc' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'redacted_thinking' }, { type: 'tool_call', id: 'srv1', name: 'web_search', arguments: { query: 'paris' } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'srv1', response: [{ type: 'web_search_result', url: 'https://a' }] }] },
    ]);
  });

  it('reads system as a string or text blocks', () => {
    expect(systemParts('Be brief.')).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(systemParts([{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }])).toEqual([
      { type: 'text', content: 'A' },
      { type: 'text', content: 'B' },
    ]);
    expect(systemParts(undefined)).toEqual([]);
  });
});

describe('anthropicUsageAttributes', () => {
  it('adds cache reads and writes to input tokens, and reports them as subsets', () => {
    expect(anthropicUsageAttributes({ input_tokens: 10, cache_read_input_tokens: 200, cache_creation_input_tokens: 30, output_tokens: 5 })).toEqual({
      'gen_ai.usage.input_tokens': 240,
      'gen_ai.usage.cache_read.input_tokens': 200,
      'gen_ai.usage.cache_creation.input_tokens': 30,
      'gen_ai.usage.output_tokens': 5,
    });
    // Older responses without cache fields (or with nulls) count input as is.
    expect(anthropicUsageAttributes({ input_tokens: 10, cache_read_input_tokens: null, output_tokens: 5 })).toEqual({
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 5,
    });
  });
});
