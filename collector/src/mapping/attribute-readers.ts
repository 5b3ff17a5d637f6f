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

/**
 * A flat string map (canonical `metadata`) from a JSON object, or a JSON-encoded one; non-string
 * values are JSON-encoded rather than dropped, null values are skipped.
 */
export const readStringMap: Reader<Record<string, string>> = (value) => {
  const parsed = typeof value === 'string' ? parseJson(value) : value;
  if (!isObject(parsed)) return undefined;
  const entries = Object.entries(parsed)
    .filter(([, item]) => item !== undefined && item !== null)
    .map(([key, item]) => [key, typeof item === 'string' ? item : JSON.stringify(toJsonValue(item as AttributeValue))]);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
};

/** Keys nested deeper than this are left alone: a hostile key with thousands of dots must stay cheap. */
const MAX_FLATTENED_DEPTH = 32;

/** A nested value rebuilt from flattened attributes, with the keys it was read from. */
export interface Unflattened {
  value: unknown;
  keys: string[];
}

/**
 * Rebuilds the value that conventions without structured attributes flatten into dotted keys
 * (OpenInference `llm.input_messages.0.message.role`, OpenLLMetry `gen_ai.prompt.0.content`):
 * every key under `prefix.` is split on dots, and levels whose keys are all indices become arrays
 * in index order. A key that collides with another (a leaf where a branch is, or the reverse) is
 * skipped and not reported, so it stays in `attributes`.
 */
export function unflatten(attributes: Attributes, prefix: string): Unflattened | undefined {
  const root: Branch = new Map();
  const keys: string[] = [];
  const dotted = `${prefix}.`;
  for (const key in attributes) {
    const value = attributes[key];
    if (!key.startsWith(dotted) || value === null || value === undefined) continue;
    const path = key.slice(dotted.length).split('.', MAX_FLATTENED_DEPTH + 1);
    if (path.length <= MAX_FLATTENED_DEPTH && place(root, path, toJsonValue(value))) keys.push(key);
  }
  return keys.length > 0 ? { value: build(root), keys } : undefined;
}

type Branch = Map<string, unknown>;

function place(root: Branch, path: string[], value: unknown): boolean {
  let node = root;
  for (const segment of path.slice(0, -1)) {
    const child = node.get(segment) ?? new Map();
    if (!(child instanceof Map)) return false;
    node.set(segment, child);
    node = child as Branch;
  }
  const leaf = path[path.length - 1];
  if (node.has(leaf)) return false;
  node.set(leaf, value);
  return true;
}

/** Built with Object.fromEntries so a `__proto__` segment stays an own property. */
function build(node: Branch): unknown {
  const entries = [...node.entries()].map(([key, child]) => [key, child instanceof Map ? build(child as Branch) : child] as const);
  if (!entries.every(([key]) => /^\d+$/.test(key))) return Object.fromEntries(entries);
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, child]) => child);
}

/** Whether any attribute key passes `test` (how a dialect recognises its convention; no key array built). */
export function someKey(attributes: Attributes, test: (key: string) => boolean): boolean {
  for (const key in attributes) if (test(key)) return true;
  return false;
}

export function hasKeyWithPrefix(attributes: Attributes, prefix: string): boolean {
  return someKey(attributes, (key) => key.startsWith(prefix));
}

/** One readable entry of a prefixed metadata bag (`ai.telemetry.metadata.*`, `langfuse.trace.metadata.*`). */
export interface MetadataEntry {
  /** The part of the key after the prefix (`sessionId` in `ai.telemetry.metadata.sessionId`). */
  name: string;
  key: string;
  value: string;
}

/** Every attribute whose key starts with `prefix` (which includes its trailing dot) as metadata text, in key order. */
export function metadataUnder(attributes: Attributes, prefix: string): MetadataEntry[] {
  const entries: MetadataEntry[] = [];
  for (const key in attributes) {
    if (!key.startsWith(prefix) || key.length === prefix.length) continue;
    const value = readMetadataValue(attributes[key]);
    if (value !== undefined) entries.push({ name: key.slice(prefix.length), key, value });
  }
  return entries;
}

/**
 * A value as metadata text (canonical metadata is string -> string): strings stay as they are,
 * everything else becomes its JSON text, so `3`, `true` and `["a"]` survive the trip.
 */
const readMetadataValue: Reader<string> = (value) => {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return undefined;
  const json = toJsonValue(value as AttributeValue);
  return typeof json === 'string' ? json : JSON.stringify(json);
};
