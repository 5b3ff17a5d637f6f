/** Parsing of list query parameters, with errors that name the parameter and what it expects. */
import type { ParsedUrlQuery } from 'node:querystring';
import { badRequest } from '../http-error.ts';

export function stringParam(query: ParsedUrlQuery, name: string, maxLength = 512): string | null {
  const raw = query[name];
  if (raw === undefined || raw === '') return null;
  if (Array.isArray(raw)) throw badRequest(`${name} may be given once`);
  if (raw.length > maxLength) throw badRequest(`${name} is longer than ${maxLength} characters`);
  return raw;
}

/** An ISO 8601 / RFC 3339 shape: Date.parse alone also accepts free text such as "' OR '1'='1" (2001-01-01). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$/;

/** RFC 3339 or epoch milliseconds. */
export function timeParam(query: ParsedUrlQuery, name: string): Date | null {
  const raw = stringParam(query, name, 64);
  if (raw === null) return null;
  const date = /^\d+$/.test(raw) ? new Date(Number(raw)) : ISO_TIME.test(raw) ? new Date(raw) : new Date(NaN);
  if (Number.isNaN(date.getTime())) throw badRequest(`${name} must be an RFC 3339 time or epoch milliseconds, got "${raw}"`);
  return date;
}

export function limitParam(query: ParsedUrlQuery, fallback = 50, max = 500): number {
  const raw = stringParam(query, 'limit', 10);
  if (raw === null) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) throw badRequest(`limit must be an integer from 1 to ${max}, got "${raw}"`);
  return limit;
}

export function enumParam<T extends string>(query: ParsedUrlQuery, name: string, allowed: readonly T[]): T | null {
  const raw = stringParam(query, name, 64);
  if (raw === null) return null;
  if (!allowed.includes(raw as T)) throw badRequest(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}
