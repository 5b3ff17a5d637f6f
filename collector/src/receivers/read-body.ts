/**
 * Reads a request body with its size limit enforced after decompression: the inflater is stopped as
 * soon as the output passes the limit, so a gzip bomb costs at most `limit` bytes of memory.
 *
 * Ingestion admission (limits/in-flight-bodies.ts) attaches how its request's body is read: a client
 * that sends nothing for `idleTimeoutMs` gets 408 and its connection is closed, and each wire byte is
 * reported so the in-flight byte count covers bodies that did not declare a length.
 */
import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib';
import { HttpError } from '../http-error.ts';

export interface Body {
  bytes: Buffer;
  /** Bytes on the wire, before decompression (what usage counts). */
  wireBytes: number;
}

export interface BodyReadOptions {
  idleTimeoutMs: number;
  /** Called with the wire bytes received so far, after each chunk. */
  onWireBytes?: (total: number) => void;
}

const optionsOf = new WeakMap<IncomingMessage, BodyReadOptions>();

/** Sets how readBody reads this request's body; the receivers then need not know about admission. */
export function setBodyReadOptions(req: IncomingMessage, options: BodyReadOptions): void {
  optionsOf.set(req, options);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body exceeds the ${limit}-byte limit (measured after decompression)`);
}

function decompressor(encoding: string): Gunzip | Inflate | null {
  switch (encoding) {
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    default:
      throw new HttpError(415, `unsupported Content-Encoding "${encoding}": use gzip, deflate or none`);
  }
}

export async function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const encoding = String(req.headers['content-encoding'] ?? '').trim().toLowerCase();
  const inflater = decompressor(encoding);
  const declared = Number(req.headers['content-length']);
  if (!inflater && Number.isFinite(declared) && declared > limit) throw tooLarge(limit);

  const options = optionsOf.get(req);

  return new Promise<Body>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let wireBytes = 0;
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    // Restarted by every chunk: only a pause this long fails the read (a whole-request limit is Node's requestTimeout).
    const waitForBytes = () => {
      if (!options) return;
      clearTimeout(idle);
      idle = setTimeout(() => fail(new HttpError(408, `no body bytes received for ${options.idleTimeoutMs} ms; send the body without pauses`, { connection: 'close' })), options.idleTimeoutMs);
    };
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      req.unpipe();
      inflater?.destroy();
      req.resume(); // drain what the client still sends so the 4xx answer reaches it
      reject(err);
    };
    const source = inflater ?? req;
    req.on('data', (chunk: Buffer) => {
      wireBytes += chunk.length;
      options?.onWireBytes?.(wireBytes);
      waitForBytes();
    });
    req.on('end', () => clearTimeout(idle));
    req.on('aborted', () => fail(new HttpError(400, 'request aborted by the client')));
    req.on('error', fail);
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return fail(tooLarge(limit));
      chunks.push(chunk);
    });
    source.on('error', (err: Error) => fail(new HttpError(400, `body could not be decompressed as ${encoding}: ${err.message}`)));
    source.on('end', () => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      resolve({ bytes: Buffer.concat(chunks, size), wireBytes });
    });
    if (inflater) req.pipe(inflater);
    waitForBytes();
  });
}
