/**
 * OTLP attribute values -> plain JSON values. Canonical events are stored and served as JSON, so
 * every value that JSON cannot carry exactly (bigint, bytes, NaN) is turned into a string here once.
 */
import type { AttributeValue, Attributes } from '../otlp/span.ts';

export function toJsonValue(value: AttributeValue): unknown {
  if (typeof value === 'bigint') {
    // The decoder only produces bigint outside the safe range; check anyway so a safe one stays a number.
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') return toJsonObject(value);
  return value;
}

/** Built with Object.fromEntries so a `__proto__` key stays an own property instead of vanishing. */
export function toJsonObject(attributes: Attributes): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [key, toJsonValue(value)]));
}
