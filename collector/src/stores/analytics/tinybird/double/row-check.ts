/**
 * Whether one NDJSON object fits a table's columns, checked by ClickHouse type before inserting.
 * ClickHouse's own JSON input is lenient (a number or an array goes into a String column), Tinybird is
 * not: a value of the wrong type, or a missing value for a column that is neither Nullable nor has a
 * DEFAULT, sends the row to quarantine (docs: "Recover data from quarantine"). Unknown JSON fields are
 * ignored, as with JSONPaths. Types not listed here are left to the engine (see ingest fallback).
 */
import type { DescribedColumn } from './double-database.ts';
import type { ColumnError } from './quarantine.ts';

export function checkRow(fields: Record<string, unknown>, columns: readonly DescribedColumn[]): ColumnError[] {
  const errors: ColumnError[] = [];
  for (const column of columns) {
    const value = fields[column.name];
    if (value === undefined) {
      if (column.default_type === '' && !column.type.startsWith('Nullable(')) {
        errors.push({ column: column.name, error: `column '${column.name}' is missing and has no default value` });
      }
    } else if (!fits(column.type, value)) {
      const shown = typeof value === 'string' ? value : JSON.stringify(value);
      errors.push({ column: column.name, error: `value '${shown}' on column '${column.name}' is not ${column.type}` });
    }
  }
  return errors;
}

// Tinybird and ClickHouse read `YYYY-MM-DD hh:mm:ss[.fraction]` and ISO 8601 with `T`, `Z` or an offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

function isDateTime(value: unknown): boolean {
  const m = typeof value === 'string' ? DATE_TIME.exec(value) : null;
  if (!m) return false;
  const [month, day, hour = 0, minute = 0, second = 0] = m.slice(2).map(Number);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 60;
}

/** Does `value` (from JSON) fit the ClickHouse `type`? */
export function fits(type: string, value: unknown): boolean {
  const wrapped = /^(\w+)\((.*)\)$/.exec(type);
  const [head, args] = wrapped ? [wrapped[1], wrapped[2]] : [type, ''];
  switch (head) {
    case 'Nullable': return value === null || fits(args, value);
    case 'LowCardinality': return fits(args, value);
    case 'String': case 'FixedString': case 'UUID': case 'Enum8': case 'Enum16': return typeof value === 'string';
    case 'Date': case 'Date32': case 'DateTime': case 'DateTime64': return isDateTime(value);
    case 'Bool': return typeof value === 'boolean';
    case 'Float32': case 'Float64': case 'Decimal': return typeof value === 'number';
    case 'Array': return Array.isArray(value) && value.every((item) => fits(args, item));
    case 'Map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const valueType = splitTopLevel(args)[1];
      return Object.values(value).every((item) => fits(valueType, item));
    }
  }
  const int = /^(U?)Int(\d+)$/.exec(head);
  if (int) return typeof value === 'number' && Number.isInteger(value) && (int[1] === '' || value >= 0);
  return true;
}

/** `String, Array(String)` -> ['String', 'Array(String)']: splits on commas outside parentheses. */
function splitTopLevel(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '(') depth++;
    else if (args[i] === ')') depth--;
    else if (args[i] === ',' && depth === 0) {
      parts.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(args.slice(start).trim());
  return parts;
}
