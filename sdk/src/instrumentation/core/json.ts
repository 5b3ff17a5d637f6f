/**
 * Defensive readers for provider payloads. The instrumentation reads requests and responses as
 * `unknown` instead of the SDKs' own types: it must keep working (or quietly record less) when a
 * provider adds, renames or drops a field, and the SDK must not need `openai` or
 * `@anthropic-ai/sdk` installed to compile.
 */
export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function objects(value: unknown): Json[] {
  return list(value).filter(isObject);
}

/** Tool-call arguments arrive as JSON text; an object is what the OTel message schema expects. */
export function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text; // partial or invalid JSON (a cancelled stream) is kept verbatim
  }
}

/** JSON text for an attribute; bigints become strings so stringify never throws on them. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
