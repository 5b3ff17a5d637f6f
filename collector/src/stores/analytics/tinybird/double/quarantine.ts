/**
 * `<datasource>_quarantine`: rows that do not fit the schema land here instead of failing the request.
 * Documented shape: the original row's columns (kept as text) plus `c__error_column Array(String)`,
 * `c__error Array(String)`, `c__import_id` and `insertion_date`.
 */
import type { Row, DescribedColumn } from './double-database.ts';

export interface ColumnError {
  /** The offending column, '' when the whole line is unreadable (not JSON, not an object). */
  column: string;
  error: string;
}

export const quarantineTableName = (datasource: string) => `${datasource}_quarantine`;

export function quarantineTableDdl(datasource: string, columns: readonly DescribedColumn[]): string {
  const raw = columns.map((c) => `  \`${c.name}\` Nullable(String)`);
  return [
    `CREATE TABLE IF NOT EXISTS ${quarantineTableName(datasource)} (`,
    ['  c__error_column Array(String)', '  c__error Array(String)', '  c__import_id Nullable(String)', ...raw,
      "  insertion_date DateTime('UTC') DEFAULT now()"].join(',\n'),
    ')',
    'ENGINE = MergeTree',
    'ORDER BY insertion_date',
  ].join('\n');
}

/** The quarantine row for one input line: every known field as its text, and why it was set aside. */
export function quarantineRow(
  fields: Record<string, unknown> | null,
  columns: readonly DescribedColumn[],
  errors: readonly ColumnError[],
  importId: string,
): Row {
  const row: Row = {
    c__error_column: errors.map((e) => e.column),
    c__error: errors.map((e) => e.error),
    c__import_id: importId,
  };
  for (const c of columns) row[c.name] = asText(fields?.[c.name]);
  return row;
}

function asText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
