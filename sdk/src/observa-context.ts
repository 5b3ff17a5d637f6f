/**
 * The Observa scope carried in the OTel context: session, user, conversation, tags and metadata set
 * by withSession() & co. The span processor stamps it on every span that starts inside it. Living in
 * the OTel context (not a private AsyncLocalStorage) means it follows whatever context manager is
 * registered, including one a NodeSDK set up.
 */
import { context, createContextKey, type Attributes, type AttributeValue, type Context } from '@opentelemetry/api';
import { CONVERSATION_ID, OBSERVA, SESSION_ID, USER_ID } from './semconv.ts';

export interface ObservaScope {
  readonly sessionId?: string;
  readonly userId?: string;
  readonly conversationId?: string;
  readonly tags?: readonly string[];
  readonly metadata?: Readonly<Record<string, AttributeValue>>;
}

const SCOPE_KEY = createContextKey('observa.scope');

/** The scope active in `ctx` (empty outside any helper). */
export function scopeOf(ctx: Context): ObservaScope {
  return (ctx.getValue(SCOPE_KEY) as ObservaScope | undefined) ?? {};
}

/** Runs `fn` with the active scope changed by `change` (which receives the outer scope). */
export function withScope<T>(change: (outer: ObservaScope) => ObservaScope, fn: () => T): T {
  const active = context.active();
  return context.with(active.setValue(SCOPE_KEY, change(scopeOf(active))), fn);
}

/** The span attributes a scope stands for (OTel keys where they exist, `observa.*` otherwise). */
export function scopeAttributes(scope: ObservaScope): Attributes {
  const attributes: Attributes = {};
  if (scope.sessionId !== undefined) attributes[SESSION_ID] = scope.sessionId;
  if (scope.userId !== undefined) attributes[USER_ID] = scope.userId;
  if (scope.conversationId !== undefined) attributes[CONVERSATION_ID] = scope.conversationId;
  if (scope.tags && scope.tags.length > 0) attributes[OBSERVA.TAGS] = [...scope.tags];
  for (const [key, value] of Object.entries(scope.metadata ?? {})) attributes[OBSERVA.METADATA_PREFIX + key] = value;
  return attributes;
}

/** True for keys the processor stamps from the scope: they say where a span ran, not what it is. */
export function isScopeKey(key: string): boolean {
  return key === SESSION_ID || key === USER_ID || key === CONVERSATION_ID || key === OBSERVA.TAGS || key.startsWith(OBSERVA.METADATA_PREFIX);
}
