/**
 * `experimental_telemetry: {functionId, metadata}` of the Vercel AI SDK, which every span of the
 * call carries as `ai.telemetry.functionId` and `ai.telemetry.metadata.<key>`. The SDK gives the
 * keys no meaning; by convention (Langfuse, Phoenix docs) `sessionId`, `userId` and `tags` carry
 * the session, the user and the tags, and the rest is free metadata.
 */
import type { Attributes } from '../../otlp/span.ts';
import { attributesUnder, firstOf, readMetadataValue, readString, readStringList } from '../attribute-readers.ts';
import type { ResultBuilder } from '../dialect.ts';

const PREFIX = 'ai.telemetry.metadata.';
const SESSION_KEYS = ['sessionId', 'session_id'].map((name) => PREFIX + name);
const USER_KEYS = ['userId', 'user_id'].map((name) => PREFIX + name);
const TAGS_KEY = `${PREFIX}tags`;

/** Fills session_id, user_id, tags and metadata (the other keys, plus `functionId`). */
export function telemetryMetadata(a: Attributes, out: ResultBuilder): void {
  out.take('session_id', firstOf(a, SESSION_KEYS, readString));
  out.take('user_id', firstOf(a, USER_KEYS, readString));
  out.take('tags', firstOf(a, [TAGS_KEY], readStringList)); // a string array, a JSON array or one tag

  const claimed = new Set([...SESSION_KEYS, ...USER_KEYS, TAGS_KEY]);
  const entries: Array<[string, string]> = [];
  const keys: string[] = [];
  const functionId = firstOf(a, ['ai.telemetry.functionId'], readString);
  if (functionId) {
    entries.push(['functionId', functionId.value]);
    keys.push(functionId.key);
  }
  for (const { name, key, value } of attributesUnder(a, PREFIX)) {
    const text = readMetadataValue(value);
    if (claimed.has(key) || text === undefined) continue;
    entries.push([name, text]);
    keys.push(key);
  }
  // Object.fromEntries keeps a `__proto__` key as data instead of changing the prototype.
  if (keys.length > 0) out.set('metadata', Object.fromEntries(entries), keys);
}
