/** Reading JSON request bodies of the API: the allowed fields, and the `name` every resource carries. */
import { badRequest } from '../http-error.ts';

const MAX_NAME_LENGTH = 200;

/** The body (absent: empty) when it holds only `allowed` fields; otherwise 400 naming the unknown ones. */
export function bodyFields(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  const fields = (body ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw badRequest(`unknown field(s): ${unknown.join(', ')}; expected ${allowed.join(', ')}`);
  return fields;
}

/** A resource's name: a non-empty string of at most 200 characters, trimmed. */
export function nameField(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME_LENGTH) {
    throw badRequest(`name must be a non-empty string of at most ${MAX_NAME_LENGTH} characters`);
  }
  return value.trim();
}
