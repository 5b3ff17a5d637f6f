/** URL-safe identifiers for tenants and projects: 1-64 lowercase letters, digits and inner dashes. */
import { badRequest } from '../http-error.ts';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** The slug the client sent, validated, or one derived from the name when it sent none. */
export function slugOf(value: unknown, name: string, fallback: string): string {
  const slug = value === undefined ? name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '') || fallback : value;
  if (typeof slug !== 'string' || !SLUG.test(slug)) throw badRequest('slug must be 1-64 lowercase letters, digits and dashes');
  return slug;
}
