/**
 * Images, audio and files inside prompts. A base64 payload is never copied into a span: prompts can
 * carry megabytes of it, and the collector would drop it anyway (see docs/mapping.md, "Large
 * base64"). It becomes the collector's own marker `{type: 'blob', size, content_omitted: true}`,
 * which keeps the media type and decoded size. Remote URLs are kept as `uri` parts.
 */
import { isObject, str } from './json.ts';
import type { Part } from './parts.ts';

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?);base64,/;

/** A URL (remote or `data:`) as a `uri` or omitted `blob` part. */
export function urlPart(url: string, modality?: string, mimeType?: string): Part {
  const data = DATA_URL.exec(url);
  if (data) return omittedBlob(url.slice(data[0].length), data[1] || mimeType, modality);
  return { type: 'uri', ...describe(mimeType, modality), uri: url };
}

/** A base64 payload reduced to its type and decoded size. */
export function omittedBlob(base64: string, mimeType?: string, modality?: string): Part {
  return { type: 'blob', ...describe(mimeType, modality), size: decodedSize(base64), content_omitted: true };
}

/** OpenAI's `input_audio: {data, format}` (Chat Completions and Responses alike). */
export function inputAudioPart(audio: unknown): Part {
  const { data, format } = isObject(audio) ? audio : {};
  return omittedBlob(str(data) ?? '', str(format) && `audio/${format}`, 'audio');
}

function describe(mimeType: string | undefined, modality: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const kind = modality ?? modalityOf(mimeType);
  if (kind) out.modality = kind;
  if (mimeType) out.mime_type = mimeType;
  return out;
}

function modalityOf(mimeType: string | undefined): string | undefined {
  const top = mimeType?.split('/')[0];
  return top === 'image' || top === 'audio' || top === 'video' ? top : undefined;
}

/** Bytes a base64 string decodes to, without decoding it. */
function decodedSize(base64: string): number {
  let length = 0;
  let padding = 0;
  for (let i = 0; i < base64.length; i++) {
    const c = base64.charCodeAt(i);
    if (c === 61) padding++; // '='
    else if (c > 32) length++;
  }
  return Math.floor(((length + padding) * 3) / 4) - padding;
}
