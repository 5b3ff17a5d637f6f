/**
 * Caps the ingestion bodies being read or processed at once, by count and by bytes, so a burst of
 * requests (or many slow ones) cannot pile up in memory. A request over the cap is answered 429 +
 * Retry-After at once, not queued. Bytes are the declared Content-Length, grown to what arrived for
 * bodies that declared none. A request arriving when nothing is in flight is always admitted, so a
 * single body larger than the byte cap still gets its proper answer (413 or 200).
 *
 * The slot is held from admission until the response is decided, and freed on every outcome: a
 * client that stalls mid-body gets 408 after the body-read idle timeout, which frees it too.
 */
import type { Next } from 'koa';
import type { AdmissionContext } from '../app/admission-context.ts';
import { HttpError } from '../http-error.ts';
import { setBodyReadOptions } from '../receivers/read-body.ts';

export interface InFlightLimits {
  maxBodies: number;
  maxBytes: number;
  /** A body that sends nothing for this long is refused with 408. */
  bodyIdleMs: number;
}

/** A slot frees up as soon as one request ends; a second is usually enough. */
const RETRY_AFTER_SECONDS = '1';

export class InFlightBodies {
  bodies = 0;
  bytes = 0;
  /** Requests refused since start (for /healthz). */
  refused = 0;

  constructor(private readonly limits: InFlightLimits) {}

  middleware() {
    return async (ctx: AdmissionContext, next: Next) => {
      const length = Number(ctx.get('content-length'));
      const declared = Number.isFinite(length) && length > 0 ? length : 0;
      const full = this.bodies >= this.limits.maxBodies ? `${this.bodies} bodies (OBSERVA_MAX_INFLIGHT_BODIES=${this.limits.maxBodies})`
        : this.bodies > 0 && this.bytes + declared > this.limits.maxBytes ? `${this.bytes} body bytes (with this one's ${declared}, over OBSERVA_MAX_INFLIGHT_BYTES=${this.limits.maxBytes})` : null;
      if (full) {
        this.refused += 1;
        throw new HttpError(429, `the collector is busy: ${full} are being received or processed; retry shortly`, { 'retry-after': RETRY_AFTER_SECONDS });
      }
      let held = declared;
      this.bodies += 1;
      this.bytes += held;
      // A gRPC message arrives whole before admission: there is no body left to time or count.
      if (ctx.req) setBodyReadOptions(ctx.req, {
        idleTimeoutMs: this.limits.bodyIdleMs,
        onWireBytes: (total) => {
          if (total <= held) return;
          this.bytes += total - held;
          held = total;
        },
      });
      try {
        await next();
      } finally {
        this.bodies -= 1;
        this.bytes -= held;
      }
    };
  }

  /** What /healthz shows. */
  state() {
    return { bodies: this.bodies, max_bodies: this.limits.maxBodies, bytes: this.bytes, max_bytes: this.limits.maxBytes, refused: this.refused };
  }
}
