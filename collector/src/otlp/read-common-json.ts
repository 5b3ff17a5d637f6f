/**
 * OTLP/JSON readers every signal shares: the export request envelope (root object, resource and scope
 * groups), Resource, InstrumentationScope, KeyValue/AnyValue, and proto3 JSON scalars (int64 as string or
 * number, hex ids, enums as integers or names). Used by the trace and the log decoders.
 *
 * Error rule: a bad value throws FieldError; the envelope walk turns it into a rejection of the one span or
 * log record being decoded, or, outside any item (`inEnvelope`), into a DecodeError for the whole request.
 */
import type { ExportItems, ItemChecks } from './read-common-export.ts';
import { DecodeError, MAX_ATTRIBUTE_DEPTH, setAttribute, type AttributeValue, type Attributes, type SpanResource, type SpanScope } from './span.ts';

export type Json = Record<string, unknown>;

/** A bad field value; becomes an item rejection inside a span or log record, a DecodeError elsewhere. */
export class FieldError extends Error {}

const utf8Decoder = new TextDecoder();
const HEX_ID = /^(?:[0-9a-fA-F]{2})*$/;
const UINT64 = /^\d{1,20}$/;
const INT64 = /^-?\d{1,19}$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A proto3 JSON field name: the lowerCamelCase one senders write, and the original snake_case one. */
export type JsonFieldName = readonly [camel: string, snake: string];

/** One signal's export request in OTLP/JSON (its names), and how it decodes, checks and refuses an item. */
export interface JsonSignal<T> extends ItemChecks<T> {
  /** The request message, for the error when the body is not an object: 'ExportTraceServiceRequest'. */
  message: string;
  /** The root's repeated resource groups, e.g. ['resourceSpans', 'resource_spans']. */
  resourceGroups: JsonFieldName;
  /** Each resource group's repeated scope groups, e.g. ['scopeSpans', 'scope_spans']. */
  scopeGroups: JsonFieldName;
  /** Each scope group's repeated items, e.g. ['spans', 'spans']. */
  items: JsonFieldName;
  /** Decodes one item object; throws FieldError for a bad value (which rejects that item alone). */
  decode(o: Json, resource: SpanResource, scope: SpanScope): T;
}

/**
 * {resourceX: [{resource, schemaUrl, scopeX: [{scope, schemaUrl, items: [...]}]}]}, the same for every
 * signal. A malformed envelope throws DecodeError naming its path (e.g. `resourceSpans[0].scopeSpans`);
 * each item is decoded, validated and kept or rejected on its own.
 */
export function decodeExportRequest<T>(body: string | Uint8Array, signal: JsonSignal<T>): ExportItems<T> {
  const root = parseJsonRequest(body, signal.message);
  const out: ExportItems<T> = { items: [], rejected: [] };
  let index = 0; // item index across the whole request
  const [resourceGroupsName, resourceGroupsSnake] = signal.resourceGroups;
  const [scopeGroupsName, scopeGroupsSnake] = signal.scopeGroups;
  const [itemsName, itemsSnake] = signal.items;
  const resourceGroups = envelopeArray(field(root, resourceGroupsName, resourceGroupsSnake), resourceGroupsName);
  for (let i = 0; i < resourceGroups.length; i++) {
    const resourcePath = `${resourceGroupsName}[${i}]`;
    const resourceGroup = envelopeObject(resourceGroups[i], resourcePath);
    const resource = decodeResource(resourceGroup, resourcePath);
    const scopeGroups = envelopeArray(field(resourceGroup, scopeGroupsName, scopeGroupsSnake), `${resourcePath}.${scopeGroupsName}`);
    for (let j = 0; j < scopeGroups.length; j++) {
      const scopePath = `${resourcePath}.${scopeGroupsName}[${j}]`;
      const scopeGroup = envelopeObject(scopeGroups[j], scopePath);
      const scope = decodeScope(scopeGroup, scopePath);
      const items = envelopeArray(field(scopeGroup, itemsName, itemsSnake), `${scopePath}.${itemsName}`);
      for (let k = 0; k < items.length; k++) {
        const raw = envelopeObject(items[k], `${scopePath}.${itemsName}[${k}]`);
        const itemIndex = index++;
        let problem: string | null;
        let item: T | undefined;
        try {
          item = signal.decode(raw, resource, scope);
          problem = signal.validate(item);
        } catch (err) {
          if (!(err instanceof FieldError)) throw err;
          problem = err.message;
        }
        if (problem === null) out.items.push(item!);
        else out.rejected.push(signal.reject(itemIndex, problem));
      }
    }
  }
  return out;
}

/** The request body parsed as JSON; it must be an object (`message` names it in the error). */
function parseJsonRequest(body: string | Uint8Array, message: string): Json {
  const text = typeof body === 'string' ? body : utf8Decoder.decode(body);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (err) {
    throw new DecodeError(`request body is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(root)) throw new DecodeError(`request body must be a JSON object (${message})`);
  return root;
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** proto3 JSON: the lowerCamelCase name or the original snake_case one; null means absent. */
export function field(o: Json, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined && v !== null ? v : o[snake];
}

function envelopeArray(v: unknown, path: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new DecodeError(`${path} must be an array`);
  return v;
}

function envelopeObject(v: unknown, path: string): Json {
  if (!isObject(v)) throw new DecodeError(`${path} must be an object`);
  return v;
}

/** Runs a decode step outside any span or log record, where a bad value must fail the whole request. */
function inEnvelope<T>(path: string, decode: () => T): T {
  try {
    return decode();
  } catch (err) {
    if (err instanceof FieldError) throw new DecodeError(`${path}: ${err.message}`);
    throw err;
  }
}

/** The resource of a ResourceSpans/ResourceLogs group `rs`, with the group's schemaUrl. */
function decodeResource(rs: Json, path: string): SpanResource {
  const raw = rs.resource ?? {};
  const p = `${path}.resource`;
  return inEnvelope(p, () => {
    if (!isObject(raw)) throw new FieldError('must be an object');
    return { attributes: attributes(raw.attributes, 'attributes'), schemaUrl: string(field(rs, 'schemaUrl', 'schema_url'), 'schemaUrl') };
  });
}

/** The scope of a ScopeSpans/ScopeLogs group `ss`, with the group's schemaUrl. */
function decodeScope(ss: Json, path: string): SpanScope {
  const raw = ss.scope ?? {};
  return inEnvelope(`${path}.scope`, () => {
    if (!isObject(raw)) throw new FieldError('must be an object');
    return {
      name: string(raw.name, 'name'),
      version: string(raw.version, 'version'),
      attributes: attributes(raw.attributes, 'attributes'),
      schemaUrl: string(field(ss, 'schemaUrl', 'schema_url'), 'schemaUrl'),
    };
  });
}

/** A repeated message field inside an item: each element must be an object. */
export function list<T>(v: unknown, path: string, decode: (o: Json, path: string) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new FieldError(`${path} must be an array`);
  return v.map((item, i) => {
    if (!isObject(item)) throw new FieldError(`${path}[${i}] must be an object`);
    return decode(item, `${path}[${i}]`);
  });
}

export function string(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new FieldError(`${path} must be a string, got ${preview(v)}`);
  return v;
}

/** OTLP/JSON ids are case-insensitive hex (not base64), returned lowercase; the caller checks the length. */
export function hexId(v: unknown, path: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string' || !HEX_ID.test(v)) throw new FieldError(`${path} must be a hex string, got ${preview(v)}`);
  return v.toLowerCase();
}

/** fixed64 times: a decimal string, or a JSON number (exact only up to 2^53; proto3 JSON allows it). */
export function uint64(v: unknown, path: string): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'string' && UINT64.test(v)) {
    const n = BigInt(v);
    if (n < 2n ** 64n) return n;
  } else if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 64) {
    return BigInt(v);
  }
  throw new FieldError(`${path} must be an unsigned 64-bit integer, got ${preview(v)}`);
}

export function uint32(v: unknown, path: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff) return n;
  throw new FieldError(`${path} must be an unsigned 32-bit integer, got ${preview(v)}`);
}

/** Enums: integers per OTLP; proto enum names tolerated; unknown numbers become 0 (as in the protobuf decoder). */
export function enumValue(v: unknown, names: string[], path: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v >= 0 && v < names.length ? v : 0;
  if (typeof v === 'string') {
    const named = names.indexOf(v);
    if (named >= 0) return named;
    if (/^-?\d+$/.test(v)) return enumValue(Number(v), names, path);
  }
  throw new FieldError(`${path} must be an integer enum value, got ${preview(v)}`);
}

/** repeated KeyValue -> record. */
export function attributes(v: unknown, path: string): Attributes {
  const out: Attributes = {};
  if (v === undefined || v === null) return out;
  if (!Array.isArray(v)) throw new FieldError(`${path} must be an array`);
  for (let i = 0; i < v.length; i++) keyValue(v[i], out, `${path}[${i}]`, 0);
  return out;
}

function keyValue(kv: unknown, target: Attributes, path: string, depth: number): void {
  if (!isObject(kv)) throw new FieldError(`${path} must be an object`);
  setAttribute(target, string(kv.key, `${path}.key`), anyValue(kv.value, `${path}.value`, depth + 1));
}

/** AnyValue: the first member present wins; {} or null -> null. */
export function anyValue(v: unknown, path: string, depth: number): AttributeValue {
  if (depth > MAX_ATTRIBUTE_DEPTH) throw new DecodeError(`attribute values nested deeper than ${MAX_ATTRIBUTE_DEPTH}`);
  if (v === undefined || v === null) return null;
  if (!isObject(v)) throw new FieldError(`${path} must be an AnyValue object`);
  let x: unknown;
  if ((x = field(v, 'stringValue', 'string_value')) != null) return string(x, `${path}.stringValue`);
  if ((x = field(v, 'boolValue', 'bool_value')) != null) {
    if (typeof x !== 'boolean') throw new FieldError(`${path}.boolValue must be a boolean`);
    return x;
  }
  if ((x = field(v, 'intValue', 'int_value')) != null) return int64(x, `${path}.intValue`);
  if ((x = field(v, 'doubleValue', 'double_value')) != null) return double(x, `${path}.doubleValue`);
  if ((x = field(v, 'arrayValue', 'array_value')) != null) {
    const values = isObject(x) ? (x.values ?? []) : undefined;
    if (!Array.isArray(values)) throw new FieldError(`${path}.arrayValue must be {values: [...]}`);
    return values.map((item, i) => anyValue(item, `${path}.arrayValue.values[${i}]`, depth + 1));
  }
  if ((x = field(v, 'kvlistValue', 'kvlist_value')) != null) {
    const values = isObject(x) ? (x.values ?? []) : undefined;
    if (!Array.isArray(values)) throw new FieldError(`${path}.kvlistValue must be {values: [...]}`);
    const object: { [key: string]: AttributeValue } = {};
    for (let i = 0; i < values.length; i++) keyValue(values[i], object, `${path}.kvlistValue.values[${i}]`, depth);
    return object;
  }
  if ((x = field(v, 'bytesValue', 'bytes_value')) != null) {
    if (typeof x !== 'string' || !BASE64.test(x)) throw new FieldError(`${path}.bytesValue must be base64`);
    const buf = Buffer.from(x, 'base64');
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return null;
}

/** int64 as decimal string or JSON number -> number when safe, else bigint (like the protobuf decoder). */
function int64(v: unknown, path: string): number | bigint {
  if (typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63) {
    return Number.isSafeInteger(v) ? v : BigInt(v);
  }
  if (typeof v === 'string' && INT64.test(v)) {
    const n = BigInt(v);
    if (n >= INT64_MIN && n <= INT64_MAX) {
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
  }
  throw new FieldError(`${path} must be a 64-bit integer, got ${preview(v)}`);
}

/** double: a JSON number, "NaN"/"Infinity"/"-Infinity", or a numeric string (proto3 JSON allows all). */
function double(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity') return Infinity;
    if (v === '-Infinity') return -Infinity;
    const n = Number(v);
    if (v.trim() !== '' && Number.isFinite(n)) return n;
  }
  throw new FieldError(`${path} must be a number, got ${preview(v)}`);
}

/** A short rendering of a bad value for error messages (never the whole of a huge string). */
function preview(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(JSON.stringify(v) ?? v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
