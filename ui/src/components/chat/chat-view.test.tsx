/**
 * The chat renderer over what real instrumentations send: every recorded convention fixture is
 * decoded and mapped exactly as the collector does (see collector/src/mapping/recorded/recorded.test.ts),
 * then each span's input and output is rendered and read back as text.
 */
import { readFileSync } from 'node:fs';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import type { Message, MessagePart } from '../../api/types.ts';
import { decodeJsonTraces } from '../../../../collector/src/otlp/decode-json.ts';
import { mapSpan } from '../../../../collector/src/mapping/map-span.ts';
import { ChatMessages } from './chat-view.tsx';

const FILES = ['vercel-ai', 'openllmetry', 'openinference', 'langfuse', 'otel-genai-current', 'otel-genai-events'] as const;
const RECORDED = new URL('../../../../collector/src/mapping/recorded/', import.meta.url);

interface MappedSpan {
  name: string;
  input: Message[] | null;
  output: Message[] | null;
}

function spansOf(file: string): MappedSpan[] {
  const bodies = JSON.parse(readFileSync(new URL(`${file}.json`, RECORDED), 'utf8')) as unknown[];
  return bodies.flatMap((body) => decodeJsonTraces(JSON.stringify(body)).spans.map((span) => mapSpan(span) as unknown as MappedSpan));
}

function render(messages: unknown): string {
  return renderToString(<ChatMessages messages={messages as Message[]} />);
}

/** What a reader sees: tags stripped, entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Whitespace-free, so pretty-printed JSON and wrapped text compare with what was sent. */
const squash = (text: string) => text.replace(/\s+/g, '');

/** The first characters of a value as the renderer shows them (JSON text compared as compact JSON). */
function expectedHead(value: unknown): string {
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) text = JSON.stringify(JSON.parse(value));
  } catch { /* prose that starts with a bracket */ }
  return squash(text).slice(0, 200);
}

function expectPartShown(part: MessagePart, html: string, text: string): void {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      expect(text).toContain(expectedHead(part.content));
      break;
    case 'tool_call':
      expect(text).toContain(squash(`Tool call${part.name}`));
      if (part.arguments !== undefined) expect(text).toContain(expectedHead(part.arguments));
      break;
    case 'tool_call_response':
      expect(text).toContain('Toolresult');
      expect(text).toContain(expectedHead(part.response));
      break;
    case 'uri':
      if (part.modality === 'image') expect(html).toMatch(new RegExp(`<img[^>]+src="${String(part.uri).replace(/[.?*+^$()|[\]\\]/g, '\\$&')}"[^>]*alt="[^"]+"`));
      break;
    case 'blob':
      if (part.content_omitted) expect(text).toContain('contentnotstored');
      break;
    default:
      expect(text).toContain(expectedHead(part));
  }
}

describe.each(FILES)('%s: every span renders its messages', (file) => {
  const spans = spansOf(file);

  it('has spans with messages to render', () => {
    expect(spans.filter((s) => s.input || s.output).length).toBeGreaterThan(0);
  });

  it.each(spans.map((span, i) => [`${i} ${span.name}`, span] as const))('%s', (_label, span) => {
    for (const messages of [span.input, span.output]) {
      const html = render(messages);
      expect(html).not.toContain('[object Object]');
      if (!messages || messages.length === 0) {
        expect(html).toContain('No messages recorded');
        continue;
      }
      const text = squash(visible(html));
      for (const message of messages) {
        expect(html).toContain(`<span class="chat-role">${message.role}</span>`);
        for (const part of message.parts) expectPartShown(part, html, text);
      }
    }
  });
});

describe('the weather conversation reads the same in every convention', () => {
  const QUESTION = 'What is the weather in Paris?';
  it.each(FILES.filter((f) => f !== 'otel-genai-events'))('%s: prompt, tool call, tool result and answer', (file) => {
    const spans = spansOf(file).filter((s) => JSON.stringify(s.input ?? '').includes('get_weather'));
    expect(spans.length).toBeGreaterThan(0);
    const html = spans.map((s) => render(s.input) + render(s.output)).join('');
    const text = visible(html);
    expect(text).toContain(QUESTION);
    expect(text).toContain('You are a helpful weather assistant.');
    expect(html).toMatch(/Tool call<\/span><code class="chat-tool-name">get_weather<\/code>/);
    expect(text).toMatch(/"city": "Paris"/); // arguments pretty-printed
    expect(html).toContain('Tool result');
    expect(text).toMatch(/"temperature_c": 18/);
    expect(text).toMatch(/sunny in Paris|Have a nice day!/);
    expect(html).toContain('class="chat-message role-system"');
  });

  it('images: a URL is an <img>, a large base64 image a note that it was not stored (openinference, otel-genai-current)', () => {
    for (const file of ['openinference', 'otel-genai-current']) {
      const html = spansOf(file).map((s) => render(s.input)).join('');
      expect(html).toMatch(/<img[^>]+src="https:\/\/images\.example\.com\/paris-skyline\.jpg"[^>]+alt="image attached/);
      expect(html).toContain('content not stored');
      expect(html).not.toContain('iVBORw0KGgo');
    }
  });

  it('reasoning is collapsed (anthropic, otel-genai-current)', () => {
    const html = spansOf('otel-genai-current').map((s) => render(s.output)).join('');
    expect(html).toMatch(/<details class="chat-reasoning"><summary>Reasoning \(\d+ characters\)<\/summary>/);
  });
});

describe('stored values that are not messages', () => {
  it.each([[null], [[]], [undefined]])('%j reads as "No messages recorded"', (value) => {
    expect(render(value)).toContain('No messages recorded');
  });

  it('a string or object from old data is shown raw under the note', () => {
    expect(visible(render('plain prompt'))).toContain('plain prompt');
    expect(visible(render({ prompt: 'hi' }))).toMatch(/No messages recorded[\s\S]*"prompt": "hi"/);
  });

  it('a message without parts keeps its content; unknown parts show as JSON', () => {
    const html = render([{ role: 'user', content: 'legacy text' }, { role: 'assistant', parts: [{ type: 'citation', url: 'https://x.test' }] }]);
    const text = visible(html);
    expect(text).toContain('legacy text');
    expect(text).toContain('citation part');
    expect(text).toContain('"url": "https://x.test"');
  });
});

describe('text safety and length', () => {
  it('never interprets markup in a message', () => {
    const html = render([{ role: 'user', parts: [{ type: 'text', content: '<img src=x onerror=alert(1)><b>bold</b>' }] }]);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
  });

  it('refuses javascript: and non-image URIs as images', () => {
    const html = render([{ role: 'user', parts: [{ type: 'uri', modality: 'image', uri: 'javascript:alert(1)' }, { type: 'uri', uri: 'https://x.test/doc.pdf', mime_type: 'application/pdf' }] }]);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('href="https://x.test/doc.pdf"');
  });

  it('shows a small inline blob image as a data: URL', () => {
    const html = render([{ role: 'user', parts: [{ type: 'blob', modality: 'image', mime_type: 'image/png', content: 'AAAA' }] }]);
    expect(html).toContain('src="data:image/png;base64,AAAA"');
  });

  it('collapses long text behind "Show more" and long system prompts', () => {
    const long = 'word '.repeat(400);
    const html = render([{ role: 'system', parts: [{ type: 'text', content: long }] }, { role: 'user', parts: [{ type: 'text', content: long }] }]);
    expect(html).toMatch(/<details class="chat-message role-system">/); // not open
    expect(html).toContain('Show more (2,000 characters)');
    expect(html).not.toContain(long.trim());
  });

  it('pretty-prints JSON text and keeps whitespace of prose', () => {
    const html = render([{ role: 'assistant', parts: [{ type: 'text', content: '{"a":1,"b":[1,2]}' }, { type: 'text', content: 'line 1\n  line 2' }] }]);
    expect(visible(html)).toContain('{\n  "a": 1,\n  "b": [');
    expect(html).toContain('<div class="chat-text">line 1\n  line 2</div>');
  });
});
