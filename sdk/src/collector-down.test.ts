/**
 * Safety: with the collector down the app keeps working. Exports fail quietly, the bounded queue
 * drops and counts, each kind of drop is reported once, flush/shutdown resolve, and no promise
 * rejection escapes.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { init } from './init.ts';
import { observe } from './observe.ts';
import { recordGeneration } from './record-generation.ts';

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('collector unreachable', () => {
  it('never disturbs the app', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    unhandled = [];
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const handle = init({ endpoint, apiKey: 'key', serviceName: 'offline-app', timeoutMillis: 500, batch: { maxQueueSize: 5, maxExportBatchSize: 5, scheduledDelayMillis: 10 } });

    const answer = observe('agent', async (i: number) => {
      recordGeneration({ model: 'gpt-4o', provider: 'openai', input: `q${i}`, output: 'a', usage: { inputTokens: 1, outputTokens: 1 } });
      return i * 2;
    }, { type: 'agent' });
    const results: number[] = [];
    for (let i = 0; i < 20; i++) results.push(await answer(i));
    await new Promise((resolve) => setTimeout(resolve, 50)); // let scheduled exports fail
    for (let i = 0; i < 20; i++) results.push(await answer(i));
    expect(results).toHaveLength(40);

    const started = Date.now();
    await expect(handle.flush()).resolves.toBeUndefined();
    await expect(handle.shutdown()).resolves.toBeUndefined();
    await expect(handle.shutdown()).resolves.toBeUndefined();
    await expect(handle.flush()).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(10_000);

    const dropped = handle.droppedSpans();
    expect(dropped.export_failed).toBeGreaterThan(0);
    expect(dropped.queue_full).toBeGreaterThan(0);
    expect(dropped.export_failed + dropped.queue_full).toBe(80);
    // One line per reason, however many spans: the outage itself, and the queue it made overflow.
    const messages = warn.mock.calls.map((call) => String(call[0]));
    expect(messages).toHaveLength(2);
    expect(messages.filter((m) => m.includes(`the collector refused them or could not be reached: ${endpoint}/v1/traces: connect ECONNREFUSED`))).toHaveLength(1);
    expect(messages.filter((m) => m.includes('the export queue was full'))).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unhandled).toEqual([]);
  });
});
