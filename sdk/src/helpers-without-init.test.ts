/** Without init() (no provider, no context manager) the helpers still run the app's code. */
import { describe, expect, it } from 'vitest';
import { currentTraceId } from './current-trace.ts';
import { withMetadata, withSession, withTags, withUser } from './context-scopes.ts';
import { observe } from './observe.ts';
import { recordGeneration } from './record-generation.ts';

describe('helpers without init()', () => {
  it('run the function and return its result, with no-op spans', async () => {
    const agent = observe('agent', async (x: number) => {
      recordGeneration({ model: 'm', provider: 'p', usage: { inputTokens: 1, outputTokens: 1 } });
      return { x, trace: currentTraceId() };
    }, { type: 'agent' });
    const result = await withSession('s', () => withUser('u', () => withTags(['t'], () => withMetadata({ k: 1 }, () => agent(2)))));
    expect(result).toEqual({ x: 2, trace: undefined });

    const stream = observe('stream', async function* () {
      yield 1;
      yield 2;
    });
    const values: number[] = [];
    for await (const value of stream()) values.push(value);
    expect(values).toEqual([1, 2]);
    expect(() => observe('fail', () => { throw new Error('still thrown'); })()).toThrow('still thrown');
  });
});
