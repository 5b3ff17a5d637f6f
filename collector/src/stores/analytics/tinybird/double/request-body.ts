/**
 * An Events API body: read whole (so an early answer never resets a client still sending), held only
 * up to the limit, and gunzipped when `Content-Encoding: gzip`. The documented limit is 10 MB per
 * request; the double applies it to both the bytes sent and the decompressed NDJSON (the stricter
 * reading, so a client that passes here passes there).
 */
import type { IncomingMessage } from 'node:http';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

export const MAX_BODY_BYTES = 10_000_000;

export type Body =
  | { ok: true; text: string; bytes: number; encoding: string }
  | { ok: false; status: 400 | 413; error: string; bytes: number; encoding: string };

export async function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').toLowerCase();
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= limit) chunks.push(chunk);
  }
  const tooLarge = { ok: false as const, status: 413 as const, bytes, encoding, error: `Request body too large: the limit is ${limit} bytes` };
  if (bytes > limit) return tooLarge;
  let raw = Buffer.concat(chunks);
  if (encoding === 'gzip') {
    try {
      raw = await gunzipAsync(raw, { maxOutputLength: limit });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return tooLarge;
      return { ok: false, status: 400, bytes, encoding, error: `Invalid gzip body: ${(err as Error).message}` };
    }
  } else if (encoding !== 'identity') {
    return { ok: false, status: 400, bytes, encoding, error: `Unsupported Content-Encoding: ${encoding}` };
  }
  return { ok: true, text: raw.toString('utf8'), bytes, encoding };
}
