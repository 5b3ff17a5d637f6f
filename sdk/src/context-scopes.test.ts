import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { withConversation, withMetadata, withSession, withTags, withUser } from './context-scopes.ts';
import { scopeAttributes, scopeOf } from './observa-context.ts';

const active = () => scopeOf(context.active());

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => {
  context.disable();
});

describe('context scopes', () => {
  it('nest: inner ids override, tags add up without duplicates, metadata merges', async () => {
    const seen = await withSession('s-1', () =>
      withTags(['a', 'b'], () =>
        withMetadata({ tier: 'free', region: 'eu' }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
          const outer = active();
          const inner = await withSession('s-2', () => withUser('u-1', () => withConversation('c-1', () => withTags(['b', 'c'], () => withMetadata({ tier: 'pro', n: 2 }, async () => active())))));
          return { outer, inner, after: active() };
        }),
      ),
    );
    expect(seen.outer).toEqual({ sessionId: 's-1', tags: ['a', 'b'], metadata: { tier: 'free', region: 'eu' } });
    expect(seen.inner).toEqual({ sessionId: 's-2', userId: 'u-1', conversationId: 'c-1', tags: ['a', 'b', 'c'], metadata: { tier: 'pro', region: 'eu', n: 2 } });
    expect(seen.after).toEqual(seen.outer);
    expect(active()).toEqual({});
  });

  it('returns what fn returns and maps to the contract attributes', () => {
    expect(withSession('s', () => 42)).toBe(42);
    expect(scopeAttributes({ sessionId: 's', userId: 'u', conversationId: 'c', tags: ['t'], metadata: { k: 'v', n: 1 } })).toEqual({
      'session.id': 's',
      'user.id': 'u',
      'gen_ai.conversation.id': 'c',
      'observa.tags': ['t'],
      'observa.metadata.k': 'v',
      'observa.metadata.n': 1,
    });
  });
});
