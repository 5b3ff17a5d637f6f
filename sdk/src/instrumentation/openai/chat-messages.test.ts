import OpenAI, { AzureOpenAI } from 'openai';
import { describe, expect, it } from 'vitest';
import { chatInput } from './chat-messages.ts';
import { openAIEnv } from './environment.ts';
import { openAIToolDefinitions } from './tool-definitions.ts';

describe('chatInput', () => {
  it('moves leading system and developer messages to system instructions, keeps later ones in place', () => {
    const { system, messages } = chatInput([
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
      { role: 'user', content: 'Hi', name: 'ada' },
      { role: 'system', content: 'Now answer in French.' },
    ]);
    expect(system).toEqual([
      { type: 'text', content: 'Be brief.' },
      { type: 'text', content: 'Use metric units.' },
    ]);
    expect(messages).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Hi' }], name: 'ada' },
      { role: 'system', parts: [{ type: 'text', content: 'Now answer in French.' }] },
    ]);
  });

  it('converts audio, files, refusals, legacy function calls and unparseable arguments', () => {
    const audio = Buffer.alloc(1000).toString('base64');
    const { messages } = chatInput([
      {
        role: 'user',
        content: [
          { type: 'input_audio', input_audio: { data: audio, format: 'wav' } },
          { type: 'file', file: { file_id: 'file-1', filename: 'a.pdf' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,AAAA' } },
        ],
      },
      { role: 'assistant', content: null, refusal: 'I cannot.', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":' } }] },
      { role: 'assistant', content: null, function_call: { name: 'legacy', arguments: '{"x":1}' } },
      { role: 'function', name: 'legacy', content: 'done' },
      { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: 'part one, ' }, { type: 'text', text: 'part two' }] },
    ]);
    expect(messages).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'blob', modality: 'audio', mime_type: 'audio/wav', size: 1000, content_omitted: true },
          { type: 'file', file_id: 'file-1', filename: 'a.pdf' },
          { type: 'blob', mime_type: 'application/pdf', size: 3, content_omitted: true },
        ],
      },
      { role: 'assistant', parts: [{ type: 'text', content: 'I cannot.' }, { type: 'tool_call', id: 'c1', name: 'f', arguments: '{"a":' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', name: 'legacy', arguments: { x: 1 } }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', response: 'done' }], name: 'legacy' },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'c1', response: 'part one, part two' }] },
    ]);
  });

  it('survives malformed input without throwing', () => {
    expect(chatInput(undefined)).toEqual({ system: [], messages: [] });
    expect(chatInput([null, 3, 'x', { role: 'user', content: [{ type: 'mystery', payload: 'secret' }] }]).messages).toEqual([{ role: 'user', parts: [{ type: 'mystery' }] }]);
  });
});

describe('openAIToolDefinitions', () => {
  it('flattens function tools and keeps built-in tools by type', () => {
    expect(
      openAIToolDefinitions([
        { type: 'function', function: { name: 'f', description: 'does f', parameters: { type: 'object' } } },
        { type: 'custom', custom: { name: 'grammar', format: { type: 'text' } } },
        { type: 'web_search' },
      ]),
    ).toEqual([
      { type: 'function', name: 'f', description: 'does f', parameters: { type: 'object' } },
      { type: 'custom', name: 'grammar', parameters: { type: 'text' } },
      { type: 'web_search' },
    ]);
  });
});

describe('openAIEnv', () => {
  it('names Azure OpenAI by host or client class and does not ask Azure for stream usage by default', () => {
    const azure = new OpenAI({ apiKey: 'k', baseURL: 'https://x.openai.azure.com/openai/deployments/gpt' });
    expect(openAIEnv(azure, {})).toMatchObject({ provider: 'azure.ai.openai', streamUsage: false, server: { 'server.address': 'x.openai.azure.com', 'server.port': 443 } });
    expect(openAIEnv(azure, { streamUsage: true }).streamUsage).toBe(true);
    const azureClass = new AzureOpenAI({ apiKey: 'k', endpoint: 'https://proxy.example.com', apiVersion: '2024-10-21' });
    expect(openAIEnv(azureClass, {}).provider).toBe('azure.ai.openai');
    const direct = new OpenAI({ apiKey: 'k' });
    expect(openAIEnv(direct, {})).toMatchObject({ provider: 'openai', streamUsage: true, captureContent: true });
  });
});
