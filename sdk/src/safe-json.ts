/**
 * Turns what an observed function received or returned into attribute text. Strings are kept as
 * they are (the collector shows them as text); anything else becomes JSON that survives cycles,
 * bigints, Maps, Sets and Errors. Never throws.
 */

/** The attribute text for `value`, or undefined when there is nothing to record. */
export function toPayloadText(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, replacer());
  } catch {
    return '"[unserializable]"';
  }
}

function replacer() {
  const seen = new WeakSet<object>();
  return function (this: unknown, _key: string, value: unknown): unknown {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (value instanceof Map) return Object.fromEntries(value);
    if (value instanceof Set) return [...value];
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  };
}
