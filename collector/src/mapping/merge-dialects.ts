/**
 * Runs the matching dialects and merges their results by precedence: for each field the first
 * dialect (in array order) that set it wins, and only the winner's source keys count as consumed.
 */
import type { DecodedSpan } from '../otlp/span.ts';
import type { Dialect, DialectFields, MappedField } from './dialect.ts';

export interface MergedDialects {
  fields: DialectFields;
  /** Attribute keys whose values now live in a canonical field, so they leave `attributes`. */
  consumed: Set<string>;
  /** Names of the dialects that matched, in precedence order (for debugging and tests). */
  matched: string[];
}

export function mergeDialects(span: DecodedSpan, dialects: readonly Dialect[]): MergedDialects {
  const fields: Record<string, unknown> = {};
  const consumed = new Set<string>();
  const matched: string[] = [];
  for (const dialect of dialects) {
    if (!dialect.matches(span)) continue;
    matched.push(dialect.name);
    const result = dialect.extract(span);
    for (const [field, value] of Object.entries(result.fields)) {
      if (value === undefined || fields[field] !== undefined) continue;
      fields[field] = value;
      for (const key of result.consumed[field as MappedField] ?? []) consumed.add(key);
    }
  }
  return { fields: fields as DialectFields, consumed, matched };
}
