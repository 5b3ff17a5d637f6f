import { describe, expect, it } from 'vitest';
import { MAX_INLINE_BASE64_CHARS } from './media-parts.ts';
import { messagesFrom, normaliseMessage, systemMessage } from './messages.ts';

const SMALL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const LARGE_B64 = 'A'.repeat(MAX_INLINE_BASE64_CHARS + 4); // decodes to (8196 * 3) / 4 = 6147 bytes

describe('messagesFrom', () => {
  it('returns null for nothing usable', () => {
    expect(messagesFrom(undefined, 'user')).toBeNull();
    expect(messagesFrom('', 'user')).toBeNull();
    expect(messagesFrom('[]', 'user')).toBeNull();
  });

  it('treats text, including text that happens to parse as a JSON scalar, as one message', () => {
    expect(messagesFrom('Hello', 'user')).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hello' }] }]);
    expect(messagesFrom('42', 'assistant')).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: '42' }] }]);
  });

  it('unwraps {messages: [...]} and OpenAI choices', () => {
    expect(messagesFrom({ messages: [{ role: 'user', content: 'Hi' }] }, 'user')).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
    const choices = JSON.stringify([{ index: 0, message: { role: 'assistant', content: 'Yes' }, finish_reason: 'stop' }]);
    expect(messagesFrom(choices, 'assistant')).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Yes' }], finish_reason: 'stop' }]);
  });
});

describe('normaliseMessage: OpenAI chat shapes', () => {
  it('converts tool_calls and keeps text content before them', () => {
    const message = normaliseMessage({
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'search', arguments: '{"q":"otel"}' } }],
    }, 'assistant');
    expect(message).toEqual({
      role: 'assistant',
      parts: [{ type: 'text', content: 'Let me check.' }, { type: 'tool_call', id: 'call_1', name: 'search', arguments: { q: 'otel' } }],
    });
  });

  it('keeps arguments that are not valid JSON as the original string', () => {
    const message = normaliseMessage({ role: 'assistant', content: null, tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{"q":' } }] }, 'assistant');
    expect(message?.parts).toEqual([{ type: 'tool_call', id: 'c', name: 'f', arguments: '{"q":' }]);
  });

  it('turns a tool message into a tool_call_response, joining text parts', () => {
    expect(normaliseMessage({ role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] }, 'user'))
      .toEqual({ role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'ab' }] });
  });

  it('converts the deprecated function_call and keeps name', () => {
    expect(normaliseMessage({ role: 'assistant', name: 'bot', function_call: { name: 'f', arguments: '{}' } }, 'assistant'))
      .toEqual({ role: 'assistant', name: 'bot', parts: [{ type: 'tool_call', name: 'f', arguments: {} }] });
  });

  it('keeps image URLs as uri parts and small data URLs inline as blobs', () => {
    const message = normaliseMessage({
      role: 'user',
      content: [
        { type: 'text', text: 'Compare' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${SMALL_PNG}` } },
      ],
    }, 'user');
    expect(message?.parts).toEqual([
      { type: 'text', content: 'Compare' },
      { type: 'uri', modality: 'image', uri: 'https://example.com/a.png' },
      { type: 'blob', modality: 'image', mime_type: 'image/png', content: SMALL_PNG },
    ]);
  });

  it('replaces large inline payloads with a marker of their decoded size', () => {
    const message = normaliseMessage({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${LARGE_B64}` } },
        { type: 'input_audio', input_audio: { data: LARGE_B64, format: 'wav' } },
        { type: 'file', file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${LARGE_B64}` } },
      ],
    }, 'user');
    expect(message?.parts).toEqual([
      { type: 'blob', modality: 'image', mime_type: 'image/jpeg', size: 6147, content_omitted: true },
      { type: 'blob', modality: 'audio', mime_type: 'audio/wav', size: 6147, content_omitted: true },
      { type: 'blob', mime_type: 'application/pdf', size: 6147, content_omitted: true },
    ]);
  });
});

describe('normaliseMessage: other vendors (reused by the next dialects)', () => {
  it('reads Anthropic content blocks', () => {
    const message = normaliseMessage({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '15 degrees' }] },
        { type: 'image', source: { type: 'base64', media_type: 'image/gif', data: 'R0lGODlh' } },
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: { tz: 'UTC' } },
      ],
    }, 'user');
    expect(message?.parts).toEqual([
      { type: 'tool_call_response', id: 'toolu_1', response: '15 degrees' },
      { type: 'blob', modality: 'image', mime_type: 'image/gif', content: 'R0lGODlh' },
      { type: 'reasoning', content: 'hmm' },
      { type: 'tool_call', id: 'toolu_2', name: 'get_time', arguments: { tz: 'UTC' } },
    ]);
  });

  it('reads Vercel AI SDK parts', () => {
    const message = normaliseMessage({
      role: 'assistant',
      content: [
        { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: { city: 'Paris' } },
        { type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: { type: 'json', value: { t: 15 } } },
        { type: 'file', data: 'https://example.com/report.pdf', mediaType: 'application/pdf' },
      ],
    }, 'assistant');
    expect(message?.parts).toEqual([
      { type: 'tool_call', id: 'c1', name: 'weather', arguments: { city: 'Paris' } },
      { type: 'tool_call_response', id: 'c1', response: { type: 'json', value: { t: 15 } } },
      { type: 'uri', mime_type: 'application/pdf', uri: 'https://example.com/report.pdf' },
    ]);
  });

  it('repairs OTel messages: string parts, Gemini {text}, and keeps unknown typed parts as they are', () => {
    const message = normaliseMessage({
      role: 'model',
      parts: ['plain', { text: 'gemini' }, { type: 'server_tool_call', name: 'web_search' }, { weird: true }, null],
    }, 'assistant');
    expect(message?.parts).toEqual([
      { type: 'text', content: 'plain' },
      { type: 'text', content: 'gemini' },
      { type: 'server_tool_call', name: 'web_search' },
      { type: 'unknown', value: { weird: true } },
    ]);
  });

  it('applies the size guard to OTel blob parts and data: URIs too', () => {
    const message = normaliseMessage({
      role: 'user',
      parts: [
        { type: 'blob', modality: 'audio', mime_type: 'audio/mp3', content: LARGE_B64 },
        { type: 'uri', modality: 'image', uri: `data:image/webp;base64,${LARGE_B64}` },
      ],
    }, 'user');
    expect(message?.parts).toEqual([
      { type: 'blob', modality: 'audio', mime_type: 'audio/mp3', size: 6147, content_omitted: true },
      { type: 'blob', modality: 'image', mime_type: 'image/webp', size: 6147, content_omitted: true },
    ]);
  });

  it('reads OpenAI responses API input parts', () => {
    const message = normaliseMessage({
      role: 'user',
      content: [
        { type: 'input_text', text: 'Summarise' },
        { type: 'input_image', image_url: `data:image/png;base64,${LARGE_B64}`, detail: 'auto' },
        { type: 'input_file', file_id: 'file-abc', filename: 'q3.pdf' },
      ],
    }, 'user');
    expect(message?.parts).toEqual([
      { type: 'text', content: 'Summarise' },
      { type: 'blob', modality: 'image', mime_type: 'image/png', size: 6147, content_omitted: true },
      { type: 'file', file_id: 'file-abc', filename: 'q3.pdf' },
    ]);
  });
});

describe('systemMessage', () => {
  it('reads a JSON array of parts or plain text', () => {
    expect(systemMessage('[{"type":"text","content":"Be brief."}]')).toEqual({ role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] });
    expect(systemMessage('Be brief.')).toEqual({ role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] });
    expect(systemMessage('[]')).toBeUndefined();
  });
});
