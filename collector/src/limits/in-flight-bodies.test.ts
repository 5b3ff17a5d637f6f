import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-error.ts';
import { InFlightBodies } from './in-flight-bodies.ts';

/** A request that declares `length` body bytes and stays in flight until released. */
function request(inFlight: InFlightBodies, length?: number) {
  const middleware = inFlight.middleware();
  let release!: () => void;
  const ctx = { req: {}, get: (name: string) => (name === 'content-length' && length !== undefined ? String(length) : '') };
  const done = middleware(ctx as never, () => new Promise<void>((resolve) => (release = resolve))).then(
    () => 200,
    (err: unknown) => {
      if (err instanceof HttpError) return { status: err.status, retryAfter: err.headers['retry-after'], message: err.message };
      throw err;
    },
  );
  return { done, release: () => release?.() };
}

describe('InFlightBodies', () => {
  it('refuses a body over the count cap with 429 + Retry-After, and frees the slot when a request ends', async () => {
    const inFlight = new InFlightBodies({ maxBodies: 2, maxBytes: 1e9, bodyIdleMs: 1000 });
    const first = request(inFlight, 10);
    const second = request(inFlight, 10);
    expect(await request(inFlight, 10).done).toMatchObject({ status: 429, retryAfter: '1', message: expect.stringMatching(/2 bodies \(OBSERVA_MAX_INFLIGHT_BODIES=2\)/) });
    expect(inFlight.state()).toMatchObject({ bodies: 2, bytes: 20, refused: 1 });
    first.release();
    expect(await first.done).toBe(200);
    const third = request(inFlight, 10);
    expect(inFlight.state()).toMatchObject({ bodies: 2, bytes: 20 });
    second.release();
    third.release();
    await Promise.all([second.done, third.done]);
    expect(inFlight.state()).toMatchObject({ bodies: 0, bytes: 0 });
  });

  it('refuses a body that would pass the byte cap, but admits any body when nothing else is in flight', async () => {
    const inFlight = new InFlightBodies({ maxBodies: 10, maxBytes: 1000, bodyIdleMs: 1000 });
    const big = request(inFlight, 5000); // alone: admitted (its size limit answers it, not this cap)
    expect(inFlight.state().bytes).toBe(5000);
    expect(await request(inFlight, 1).done).toMatchObject({ status: 429, message: expect.stringMatching(/OBSERVA_MAX_INFLIGHT_BYTES=1000/) });
    big.release();
    await big.done;
    const a = request(inFlight, 600);
    expect(await request(inFlight, 600).done).toMatchObject({ status: 429 });
    const b = request(inFlight, 400);
    expect(inFlight.state()).toMatchObject({ bodies: 2, bytes: 1000 });
    a.release();
    b.release();
    await Promise.all([a.done, b.done]);
    expect(inFlight.state()).toMatchObject({ bodies: 0, bytes: 0 });
  });
});
