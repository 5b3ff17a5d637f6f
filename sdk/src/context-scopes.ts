/**
 * Scopes for the spans an app creates: everything started inside `fn` (sync or async, however deep)
 * carries the session, user, conversation, tags and metadata set here. Inner scopes override ids,
 * add tags and merge metadata. Without a registered context manager (no init(), no NodeSDK) `fn`
 * simply runs.
 */
import type { AttributeValue } from '@opentelemetry/api';
import { withScope } from './observa-context.ts';

/** Runs `fn` in a session (`session.id`): the traces of one chat or task, across requests. */
export function withSession<T>(sessionId: string, fn: () => T): T {
  return withScope((outer) => ({ ...outer, sessionId }), fn);
}

/** Runs `fn` on behalf of a user (`user.id`). */
export function withUser<T>(userId: string, fn: () => T): T {
  return withScope((outer) => ({ ...outer, userId }), fn);
}

/** Runs `fn` in a conversation (`gen_ai.conversation.id`). */
export function withConversation<T>(conversationId: string, fn: () => T): T {
  return withScope((outer) => ({ ...outer, conversationId }), fn);
}

/** Runs `fn` with `tags` added to the outer scope's tags (`observa.tags`). */
export function withTags<T>(tags: readonly string[], fn: () => T): T {
  return withScope((outer) => ({ ...outer, tags: [...new Set([...(outer.tags ?? []), ...tags])] }), fn);
}

/**
 * Runs `fn` with `metadata` merged over the outer scope's (`observa.metadata.<key>`). Strings,
 * numbers and booleans are kept as they are; other values are stored as JSON.
 */
export function withMetadata<T>(metadata: Readonly<Record<string, unknown>>, fn: () => T): T {
  return withScope((outer) => ({ ...outer, metadata: { ...outer.metadata, ...attributeValues(metadata) } }), fn);
}

function attributeValues(metadata: Readonly<Record<string, unknown>>): Record<string, AttributeValue> {
  const values: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (value === undefined || value === null) continue;
    values[key] = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : (JSON.stringify(value) ?? String(value));
  }
  return values;
}
