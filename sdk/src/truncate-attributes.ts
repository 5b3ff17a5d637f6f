/**
 * Payload size limits: a string attribute (or string in an array attribute) longer than the limit
 * keeps its first `limit` characters followed by `…[truncated N chars]`, and its key is reported so
 * the span can list it in `observa.truncated`. Limits count UTF-16 characters, not bytes.
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';

/** Cuts `text` to `limit` characters plus the marker, never splitting a surrogate pair. */
export function truncateString(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let cut = limit;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--; // a high surrogate whose pair would be cut off
  return `${text.slice(0, cut)}…[truncated ${text.length - cut} chars]`;
}

/** The values of `attributes` that are too long, cut, by key; undefined when none is (the usual case). */
export function truncateAttributes(attributes: Readonly<Attributes>, limit: number): Attributes | undefined {
  let cut: Attributes | undefined;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    const truncated = truncateValue(value, limit);
    if (truncated !== value) (cut ??= {})[key] = truncated;
  }
  return cut;
}

/** `value` with its strings cut to `limit` (the same value when none is longer). */
export function truncateValue(value: AttributeValue | undefined, limit: number): AttributeValue | undefined {
  if (typeof value === 'string') return truncateString(value, limit);
  if (!Array.isArray(value) || !value.some((item) => typeof item === 'string' && item.length > limit)) return value;
  return value.map((item) => (typeof item === 'string' ? truncateString(item, limit) : item)) as AttributeValue;
}
