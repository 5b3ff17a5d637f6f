/**
 * `experimental_telemetry: {functionId, metadata}` of the Vercel AI SDK, which every span of the
 * call carries as `ai.telemetry.functionId` and `ai.telemetry.metadata.<key>`. The SDK gives the
 * keys no meaning; by convention (Langfuse, Phoenix docs) `sessionId`, `userId` and `tags` carry
 * the session, the user and the tags, and the rest is free metadata.
 */
import type { Attributes } from '../../otlp/span.ts';
import { firstOf, metadataUnder, readString, readStringList, type MetadataEntry } from '../attribute-readers.ts';
import type { ResultBuilder } from '../dialect.ts';

const PREFIX = 'ai.telemetry.metadata.';
const SESSION_KEYS = ['sessionId', 'session_id'].map((name) => PREFIX + name);
const USER_KEYS = ['userId', 'user_id'].map((name) => PREFIX + name);
const TAGS_KEY = `${PREFIX}tags`;
const CLAIMED_KEYS = new Set([...SESSION_KEYS, ...USER_KEYS, TAGS_KEY]);

/** Fills session_id, user_id, tags and metadata (the other keys, plus `functionId`). */
export function telemetryMetadata(a: Attributes, out: ResultBuilder): void {
  out.take('session_id', firstOf(a, SESSION_KEYS, readString));
  out.take('user_id', firstOf(a, USER_KEYS, readString));
  out.take('tags', firstOf(a, [TAGS_KEY], readStringList)); // a string array, a JSON array or one tag

  const entries: MetadataEntry[] = [];
  const functionId = firstOf(a, ['ai.telemetry.functionId'], readString);
  if (functionId) entries.push({ name: 'functionId', key: functionId.key, value: functionId.value });
  entries.push(...metadataUnder(a, PREFIX).filter((entry) => !CLAIMED_KEYS.has(entry.key)));
  out.setMetadata(entries);
}
