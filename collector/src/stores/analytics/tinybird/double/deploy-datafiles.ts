/**
 * What `tb deploy` does to a workspace, on chDB: one table per `.datasource` datafile (the very files
 * Tinybird deploys, via datasourceDdl) and one materialized view per `TYPE materialized` pipe, writing
 * into its `DATASOURCE`. Without an `events.datasource` the `events` table comes from
 * eventsTableDdl(), the chDB store's own DDL (the datafile is generated from the same definition).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Session } from 'chdb';
import { EVENTS_TABLE, eventsTableDdl } from '../../events-table.ts';
import { datasourceDdl, parseDatasource } from '../../pipes/datasource-ddl.ts';
import { loadPipes, renderPipe } from '../../pipes/render-pipe.ts';

/** Creates the datasources (tables) and materialized pipes (views); answers the datasource names. */
export async function deployDatafiles(session: Session, datasourcesDir: string, pipesDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const file of (await listFiles(datasourcesDir)).filter((f) => f.endsWith('.datasource')).sort()) {
    const name = file.slice(0, -'.datasource'.length);
    const source = await readFile(path.join(datasourcesDir, file), 'utf8');
    assertFlatJsonPaths(name, source);
    await session.queryAsync(datasourceDdl(name, source));
    names.push(name);
  }
  if (!names.includes(EVENTS_TABLE.name)) {
    await session.queryAsync(eventsTableDdl());
    names.push(EVENTS_TABLE.name);
  }
  if ((await listFiles(pipesDir)).some((f) => f.endsWith('.pipe'))) {
    for (const [name, pipe] of Object.entries(await loadPipes(pipesDir))) {
      const target = pipe.nodes.find((n) => n.type === 'materialized')?.datasource;
      if (!target) continue;
      const { sql } = renderPipe(pipe, {});
      await session.queryAsync(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} TO ${target} AS\n${sql}`);
    }
  }
  return names;
}

/**
 * The double reads each NDJSON line by column name (JSONEachRow), which is what `json:$.<column>`
 * (and `[:]` for an array) means; a nested path would need real JSONPath extraction, so it is refused.
 */
function assertFlatJsonPaths(datasource: string, source: string): void {
  for (const c of parseDatasource(source).columns) {
    if (c.jsonPath !== null && c.jsonPath !== `$.${c.name}` && c.jsonPath !== `$.${c.name}[:]`) {
      throw new Error(`${datasource}.${c.name}: the double only maps json:$.<column>, not json:${c.jsonPath}`);
    }
  }
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
