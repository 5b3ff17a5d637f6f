/**
 * Events API ingestion into chDB: each NDJSON line is checked against the datasource's columns; lines
 * that are not JSON objects or do not fit go to `<datasource>_quarantine` and count in
 * `quarantined_rows` instead of failing the request (Events API reference).
 */
import { randomUUID } from 'node:crypto';
import type { DoubleDatabase } from './double-database.ts';
import { quarantineRow, quarantineTableName, type ColumnError } from './quarantine.ts';
import { checkRow } from './row-check.ts';

export interface IngestResult {
  successful_rows: number;
  quarantined_rows: number;
  importId: string;
}

// Canonical times are RFC 3339 with nine fraction digits; unknown JSON fields are ignored (JSONPaths).
const INSERT_SETTINGS = { date_time_input_format: 'best_effort', input_format_skip_unknown_fields: 1 };

/** Ingests `ndjson` into `datasource`; `quarantineEvery` (a fault) sets aside every Nth line as well. */
export async function ingestNdjson(db: DoubleDatabase, datasource: string, ndjson: string, quarantineEvery = 0): Promise<IngestResult> {
  const columns = db.tables.get(datasource)!;
  const importId = randomUUID();
  const good: { line: string; fields: Record<string, unknown> }[] = [];
  const quarantined: Record<string, unknown>[] = [];
  const setAside = (fields: Record<string, unknown> | null, errors: ColumnError[]) =>
    quarantined.push(quarantineRow(fields, columns, errors, importId));

  let index = 0;
  for (const raw of ndjson.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    index += 1;
    const fields = parseObject(line);
    if (typeof fields === 'string') {
      setAside(null, [{ column: '', error: fields }]);
      continue;
    }
    const errors = checkRow(fields, columns);
    if (quarantineEvery > 0 && index % quarantineEvery === 0) errors.push({ column: '', error: 'injected fault: row quarantined by the double' });
    if (errors.length > 0) setAside(fields, errors);
    else good.push({ line, fields });
  }

  let successful = 0;
  const table = `${db.database}.${datasource}`;
  try {
    // The original line, not a re-serialisation: 64-bit integers past 2^53 reach the engine intact.
    if (good.length > 0) await insert(db, table, good.map((g) => g.line));
    successful = good.length;
  } catch {
    // Something the type check let through (say, a date out of range): find the lines the engine refuses.
    for (const g of good) {
      try {
        await insert(db, table, [g.line]);
        successful += 1;
      } catch (err) {
        const error = (err as Error).message.split('\n')[0];
        setAside(g.fields, [{ column: /value of key (\w+)/.exec(error)?.[1] ?? '', error }]);
      }
    }
  }
  if (quarantined.length > 0) {
    await insert(db, `${db.database}.${quarantineTableName(datasource)}`, quarantined.map((row) => JSON.stringify(row)));
  }
  return { successful_rows: successful, quarantined_rows: quarantined.length, importId };
}

function insert(db: DoubleDatabase, table: string, lines: string[]): Promise<unknown> {
  return db.track(db.session.insert({ table, values: Buffer.from(lines.join('\n')), format: 'JSONEachRow', settings: INSERT_SETTINGS }));
}

/** The line's object, or why it is not one. */
function parseObject(line: string): Record<string, unknown> | string {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return 'the line is not a JSON object';
  } catch (err) {
    return `invalid JSON: ${(err as Error).message}`;
  }
}
