/**
 * A Tinybird `.datasource` datafile as the ClickHouse table it describes, so an embedded engine
 * (the rollup test, a Tinybird API double) builds its tables from the very files Tinybird deploys.
 * Covers what schemas/tinybird/datasources/ uses: SCHEMA with JSON paths and DEFAULTs, ENGINE,
 * ENGINE_VER, ENGINE_PARTITION_KEY, ENGINE_SORTING_KEY, ENGINE_TTL, ENGINE_SETTINGS.
 */

export interface DatasourceColumn {
  name: string;
  type: string;
  /** `$.tags[:]` for `json:$.tags[:]`; null without a JSON path. */
  jsonPath: string | null;
  default: string | null;
}

export interface Datasource {
  columns: DatasourceColumn[];
  /** ENGINE_* settings by their suffix: engine, ver, partition_key, sorting_key, ttl, settings. */
  engine: Record<string, string>;
}

const COLUMN = /^`(\w+)`\s+(.*?)(?:\s+`json:([^`]*)`)?(?:\s+DEFAULT\s+(.*?))?\s*,?$/;

export function parseDatasource(source: string): Datasource {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const columns: DatasourceColumn[] = [];
  const engine: Record<string, string> = {};
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (/^\s/.test(line) || line.trim() === '' || line.startsWith('#') || line.startsWith('DESCRIPTION')) continue;
    if (line.trim() === 'SCHEMA >') {
      for (; i + 1 < lines.length && /^\s+\S/.test(lines[i + 1]); i += 1) {
        const m = COLUMN.exec(lines[i + 1].trim());
        if (!m) throw new Error(`cannot read datasource column: ${lines[i + 1].trim()}`);
        columns.push({ name: m[1], type: m[2], jsonPath: m[3] ?? null, default: m[4] ?? null });
      }
      continue;
    }
    const setting = /^ENGINE(?:_(\w+))?\s+"(.*)"$/.exec(line.trim());
    if (!setting) throw new Error(`unsupported datasource line: ${line}`);
    engine[(setting[1] ?? 'engine').toLowerCase()] = setting[2];
  }
  if (columns.length === 0 || !engine.engine) throw new Error('a datasource needs a SCHEMA and an ENGINE');
  return { columns, engine };
}

/** `CREATE TABLE IF NOT EXISTS <name> ...`; `settings` are appended to ENGINE_SETTINGS. */
export function datasourceDdl(name: string, source: string, settings: string[] = []): string {
  const { columns, engine } = parseDatasource(source);
  const allSettings = [...(engine.settings ? [engine.settings] : []), ...settings];
  return [
    `CREATE TABLE IF NOT EXISTS ${name} (`,
    columns.map((c) => `  ${c.name} ${c.type}${c.default === null ? '' : ` DEFAULT ${c.default}`}`).join(',\n'),
    ')',
    `ENGINE = ${engine.engine}(${engine.ver ?? ''})`,
    ...(engine.partition_key ? [`PARTITION BY ${engine.partition_key}`] : []),
    `ORDER BY (${engine.sorting_key ?? ''})`,
    ...(engine.ttl ? [`TTL ${engine.ttl}`] : []),
    ...(allSettings.length > 0 ? [`SETTINGS ${allSettings.join(', ')}`] : []),
  ].join('\n');
}
