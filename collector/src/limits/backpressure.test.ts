import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-error.ts';
import { Backpressure, type BacklogReading } from './backpressure.ts';
import { HysteresisBound } from './hysteresis-bound.ts';

describe('HysteresisBound', () => {
  it('trips at the limit and clears only under 90% of it', () => {
    const bound = new HysteresisBound(100);
    expect([99, 100, 95, 90, 89, 95, 100].map((reading) => bound.update(reading))).toEqual([false, true, true, true, false, false, true]);
  });

  it('is never over with a limit of 0 (disabled)', () => {
    expect(new HysteresisBound(0).update(1e12)).toBe(false);
  });
});

/** A Backpressure on a hand-set clock, backlog and memory, counting the backlog reads. */
function harness(limits = { maxOutboxRows: 10, maxOutboxBytes: 1000, maxMemoryBytes: 1000 }) {
  const world = { now: 0, backlog: { rows: 0, bytes: 0 } as BacklogReading, memory: 0, backlogReads: 0, memoryReads: 0 };
  const backpressure = new Backpressure(
    limits,
    async () => {
      world.backlogReads += 1;
      return { ...world.backlog };
    },
    () => {
      world.memoryReads += 1;
      return world.memory;
    },
    () => world.now,
  );
  const middleware = backpressure.middleware();
  /** The admission answer for a request now: 200 when admitted, else the refusal's status. */
  const admit = async () => {
    try {
      await middleware({} as never, async () => {});
      return { status: 200, headers: {}, message: '' };
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      return { status: err.status, headers: err.headers, message: err.message };
    }
  };
  /** Lets a background backlog read finish. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { world, backpressure, admit, settle };
}

describe('Backpressure', () => {
  it('reads the backlog at most once a second and memory at most every 250 ms, whatever the request rate', async () => {
    const { world, admit, settle } = harness();
    for (let i = 0; i < 100; i++) {
      await admit();
      world.now += 10; // 100 requests over one second
      await settle();
    }
    expect(world.backlogReads).toBe(1);
    expect(world.memoryReads).toBe(4);
    await admit();
    expect(world.backlogReads).toBe(2);
  });

  it('refuses with 503 + Retry-After naming the bound once the backlog reaches it, and resumes under 90% of it', async () => {
    const { world, admit, settle, backpressure } = harness();
    /** Takes a backlog reading of `rows`, then answers one request. */
    const readingOf = async (rows: number) => {
      world.backlog = { rows, bytes: 0 };
      world.now += 1000;
      await backpressure.refresh();
      await settle();
      return admit();
    };
    expect((await readingOf(0)).status).toBe(200);
    const refused = await readingOf(10);
    expect(refused).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    expect(refused.message).toMatch(/outbox .* holds 10 rows, at or over OBSERVA_MAX_OUTBOX_ROWS=10/);
    expect((await readingOf(9)).status).toBe(503); // under the bound but not under 90%: still refused
    expect((await readingOf(8)).status).toBe(200);
    expect(backpressure.state()).toMatchObject({ accepting: true, outbox: { rows: 9, max_rows: 10, over: false } }); // 8 read + 1 admitted
    expect(backpressure.state().refused.outbox).toBe(2);
  });

  it('counts each request it admits as a row until the next reading, so a burst stops at the bound', async () => {
    const { admit } = harness({ maxOutboxRows: 3, maxOutboxBytes: 0, maxMemoryBytes: 0 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await admit()).status); // all within one second: one reading (0 rows)
    expect(answers).toEqual([200, 200, 200, 503, 503]);
  });

  it('refuses on outbox bytes and on memory too, each message naming its variable', async () => {
    const { world, admit, settle } = harness({ maxOutboxRows: 0, maxOutboxBytes: 2 * 1024 ** 2, maxMemoryBytes: 8 * 1024 ** 2 });
    world.backlog = { rows: 1_000_000, bytes: 3 * 1024 ** 2 };
    await admit();
    await settle();
    expect((await admit()).message).toMatch(/3 MiB, at or over OBSERVA_MAX_OUTBOX_BYTES=2 MiB/);

    world.backlog = { rows: 0, bytes: 0 };
    world.memory = 9 * 1024 ** 2;
    world.now += 1000;
    await admit();
    await settle();
    const refused = await admit();
    expect(refused.status).toBe(503);
    expect(refused.message).toMatch(/uses 9 MiB of memory, at or over OBSERVA_MAX_MEMORY_MB=8 MiB/);
    world.memory = 7 * 1024 ** 2; // under 90% of 8 MiB
    world.now += 250;
    expect((await admit()).status).toBe(200);
  });

  it('waits for the first backlog reading, and keeps the last one when a later reading fails', async () => {
    let fail = false;
    let reads = 0;
    let now = 0;
    const backpressure = new Backpressure({ maxOutboxRows: 5, maxOutboxBytes: 0, maxMemoryBytes: 0 }, async () => {
      reads += 1;
      if (fail) throw new Error('database down');
      return { rows: 7, bytes: 0 };
    }, () => 0, () => now);
    await backpressure.refresh();
    expect(backpressure.state().outbox).toMatchObject({ rows: 7, over: true });
    fail = true;
    now += 1000;
    await backpressure.refresh();
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(2);
    expect(backpressure.state().outbox).toMatchObject({ rows: 7, over: true });
  });
});
