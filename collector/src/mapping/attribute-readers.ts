/**
 * Typed reads of span attributes for dialects. Instrumentations disagree on value types (token counts
 * as strings, arrays as JSON strings), so each reader accepts the spellings seen in the wild and
 * returns undefined for anything it cannot read, never throwing.
 */
import type { AttributeValue, Attributes } from '../otlp/span.ts';
import { toJsonValue } from './json-value.ts';

/** Readers take `unknown` so they serve both attribute values and parsed JSON (message bodies). */
export type Reader<T> = (value: unknown) => T | undefined;

/** A value read from one attribute, with the key it came from (so the dialect can consume it). */
export interface Found<T> {
  value: T;
  key: string;
}

/** The first of `keys` (in precedence order) whose value `read` accepts. */
export function firstOf<T>(attributes: Attributes, keys: readonly string[], read: Reader<T>): Found<T> | undefined {
  for (const key of keys) {
    const value = read(attributes[key]);
    if (value !== undefined) return { value, key };
  }
  return undefined;
}

/** A non-empty string; numeric ids (user.id = 42) are accepted as their decimal text. */
export const readString: Reader<string> = (value) => {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return undefined;
};

/** A finite number, also from numeric strings. */
export const readNumber: Reader<number> = (value) => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
};

/** A token count: a non-negative integer (fractions are truncated, negatives rejected). */
export const readCount: Reader<number> = (value) => {
  const n = readNumber(value);
  return n === undefined || n < 0 ? undefined : Math.trunc(n);
};

/** A list of strings: a string array, a JSON-encoded array (SDKs without array attributes), or one string. */
export const readStringList: Reader<string[]> = (value) => {
  const parsed = typeof value === 'string' && value.trimStart().startsWith('[') ? parseJson(value) : value;
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const strings = items.filter((item): item is string => typeof item === 'string' && item !== '');
  return strings.length > 0 ? strings : undefined;
};

/** A structured value: JSON text is parsed, OTLP maps/arrays are made JSON-safe, other strings stay strings. */
export const readJson: Reader<unknown> = (value) => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    const parsed = parseJson(value);
    return parsed === undefined ? value : parsed;
  }
  return toJsonValue(value as AttributeValue);
};

/** JSON.parse that answers undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
