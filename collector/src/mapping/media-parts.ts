/**
 * Multimodal content -> OTel GenAI `uri` / `blob` / `file` parts. Prompts can carry megabytes of
 * base64 (images, audio, PDFs); storing them in every event would bloat the analytics store, so
 * payloads above MAX_INLINE_BASE64_CHARS are replaced by a marker that keeps the original size.
 */
import type { MessagePart } from '../events/canonical-event.ts';
import { isObject, readString as str } from './attribute-readers.ts';

/** Base64 payloads up to this length (about 6 KB decoded) are kept inline; larger ones become a marker. */
export const MAX_INLINE_BASE64_CHARS = 8192;

type Json = Record<string, unknown>;

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*?);base64,(.*)$/s;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A base64 payload as a blob part: inline when small, else `{size, content_omitted: true}`. */
export function blobPart(base64: string, mimeType?: string, modality?: string): MessagePart {
  const part: MessagePart = { type: 'blob', ...describe(mimeType, modality) };
  if (base64.length <= MAX_INLINE_BASE64_CHARS) return { ...part, content: base64 };
  return { ...part, size: decodedSize(base64), content_omitted: true };
}

/** A reference that may be a URL, a data: URL or bare base64 (Vercel image parts accept all three). */
export function referencePart(ref: string, mimeType?: string, modality?: string): MessagePart {
  const data = DATA_URL.exec(ref);
  if (data) return blobPart(data[3], data[1] || mimeType, modality);
  if (URL_SCHEME.test(ref)) return { type: 'uri', ...describe(mimeType, modality), uri: ref };
  return blobPart(ref, mimeType, modality);
}

/**
 * Media parts in the shapes seen in the wild (OTel blob/uri/file, OpenAI image_url/input_audio/file,
 * Anthropic image/document sources, Vercel image/file); undefined when `raw` is not a media part.
 */
export function mediaPart(raw: Json): MessagePart | undefined {
  switch (raw.type) {
    case 'blob':
      return typeof raw.content === 'string' ? blobPart(raw.content, str(raw.mime_type), str(raw.modality)) : raw as MessagePart;
    case 'uri': // a data: URI is an inline payload in disguise
      return typeof raw.uri === 'string' && raw.uri.startsWith('data:') ? referencePart(raw.uri, str(raw.mime_type), str(raw.modality)) : raw as MessagePart;
    case 'image_url':
    case 'input_image': { // chat completions `{image_url: {url}}`, responses API `{image_url: string}`
      const image = raw.image_url;
      const url = typeof image === 'string' ? image : isObject(image) ? str(image.url) : undefined;
      return url === undefined ? undefined : referencePart(url, undefined, 'image');
    }
    case 'input_audio': {
      const audio = isObject(raw.input_audio) ? raw.input_audio : {};
      const format = str(audio.format);
      return typeof audio.data === 'string' ? blobPart(audio.data, format && `audio/${format}`, 'audio') : undefined;
    }
    case 'image':
    case 'document':
      return sourcePart(raw, raw.type === 'image' ? 'image' : undefined);
    case 'file':
    case 'input_file': // responses API
      return filePart(raw);
    default:
      return undefined;
  }
}

/** Anthropic `{source: {type: base64|url|file}}` and Vercel `{image, mediaType}` parts. */
function sourcePart(raw: Json, modality: string | undefined): MessagePart | undefined {
  const source = raw.source;
  if (isObject(source)) {
    const mime = str(source.media_type);
    if (typeof source.data === 'string') return blobPart(source.data, mime, modality);
    if (typeof source.url === 'string') return referencePart(source.url, mime, modality);
    if (typeof source.file_id === 'string') return { type: 'file', ...describe(mime, modality), file_id: source.file_id };
  }
  const ref = raw.image ?? raw.data ?? raw.url;
  return typeof ref === 'string' ? referencePart(ref, str(raw.mediaType ?? raw.mimeType), modality) : undefined;
}

/** OTel `{file_id}`, OpenAI `{file: {file_id | file_data}}` / `{file_data}` and Vercel `{data, mediaType}` files. */
function filePart(raw: Json): MessagePart | undefined {
  if (typeof raw.file_id === 'string') return { ...raw, type: 'file' };
  const file = isObject(raw.file) ? raw.file : raw;
  if (typeof file.file_data === 'string') return referencePart(file.file_data);
  if (typeof file.file_id === 'string') return { type: 'file', file_id: file.file_id };
  const mime = str(raw.mediaType ?? raw.mimeType ?? raw.mime_type);
  return typeof raw.data === 'string' ? referencePart(raw.data, mime) : undefined;
}

function describe(mimeType: string | undefined, modality: string | undefined): Json {
  const out: Json = {};
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
  const trimmed = base64.replace(/\s/g, '');
  const padding = trimmed.endsWith('==') ? 2 : trimmed.endsWith('=') ? 1 : 0;
  return Math.floor((trimmed.length * 3) / 4) - padding;
}
