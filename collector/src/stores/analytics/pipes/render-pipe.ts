/**
 * Tinybird `.pipe` datafiles (schemas/tinybird/pipes/) as ONE ClickHouse query with server-side
 * parameters: the same SQL Tinybird serves as a pipe endpoint runs on chDB (one query layer, two
 * transports). Earlier nodes a later node reads by name become `WITH name AS (...)` CTEs, which is
 * what Tinybird's node chaining means; the endpoint (or materialized) node is the main query.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderTemplate } from './pipe-template.ts';

export { PipeParamError } from './pipe-template.ts';

export interface PipeNode {
  name: string;
  /** Template SQL, without the `%` line that marks a parameterised node on Tinybird. */
  sql: string;
  type?: 'endpoint' | 'materialized';
  /** Target datasource of a materialized node. */
  datasource?: string;
}

export interface Pipe {
  name?: string;
  nodes: PipeNode[];
}

export interface RenderedPipe {
  sql: string;
  /** Values for chDB's queryBindAsync (`{name:Type}` placeholders), as ClickHouse parses them from text. */
  params: Record<string, string | number>;
}

export const PIPES_DIR = new URL('../../../../../schemas/tinybird/pipes/', import.meta.url);

/** An indented block after `SQL >` / `DESCRIPTION >`: its lines dedented, blank edges dropped. */
function readBlock(lines: string[], start: number): { text: string; next: number } {
  let next = start;
  while (next < lines.length && (lines[next].trim() === '' || /^\s/.test(lines[next]))) next += 1;
  const block = lines.slice(start, next);
  const indent = Math.min(...block.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)![0].length));
  return { text: block.map((l) => l.slice(indent)).join('\n').trim(), next };
}

export function parsePipe(source: string): Pipe {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const nodes: PipeNode[] = [];
  const current = (keyword: string) => {
    if (nodes.length === 0) throw new Error(`${keyword} before any NODE`);
    return nodes[nodes.length - 1];
  };
  for (let i = 0; i < lines.length; ) {
    const line = lines[i].trim();
    i += 1;
    if (line === '' || line.startsWith('#')) continue;
    const [keyword, ...words] = line.split(/\s+/);
    const arg = words.join(' ');
    if (keyword === 'NODE') {
      if (!/^\w+$/.test(arg)) throw new Error(`bad node name ${JSON.stringify(arg)}`);
      nodes.push({ name: arg, sql: '' });
    } else if ((keyword === 'SQL' || keyword === 'DESCRIPTION') && arg === '>') {
      const { text, next } = readBlock(lines, i);
      i = next;
      if (keyword === 'SQL') current(keyword).sql = text.replace(/^%[ \t]*(\n|$)/, '');
    } else if (keyword === 'TYPE') {
      const type = arg.toLowerCase();
      if (type !== 'endpoint' && type !== 'materialized') throw new Error(`unsupported node TYPE ${arg}`);
      current(keyword).type = type;
    } else if (keyword === 'DATASOURCE') current(keyword).datasource = arg;
    else if (keyword !== 'TOKEN' && keyword !== 'TAGS') throw new Error(`unsupported pipe line: ${line}`);
  }
  if (nodes.length === 0) throw new Error('a pipe needs at least one NODE');
  return { nodes };
}

/** Every `*.pipe` of a folder (schemas/tinybird/pipes/ by default), by file name. */
export async function loadPipes(dir: URL | string = PIPES_DIR): Promise<Record<string, Pipe>> {
  const base = typeof dir === 'string' ? pathToFileURL(`${path.resolve(dir)}/`) : dir;
  const files = (await readdir(base)).filter((f) => f.endsWith('.pipe')).sort();
  const entries = await Promise.all(
    files.map(async (file) => {
      const name = file.slice(0, -'.pipe'.length);
      return [name, { ...parsePipe(await readFile(new URL(file, base), 'utf8')), name }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

const mentions = (sql: string, name: string) => new RegExp(`\\b${name}\\b`).test(sql);

export function renderPipe(pipe: Pipe, params: Record<string, string | undefined>): RenderedPipe {
  const typed = pipe.nodes.findIndex((n) => n.type !== undefined);
  const mainIndex = typed === -1 ? pipe.nodes.length - 1 : typed;
  const main = pipe.nodes[mainIndex];
  const earlier = pipe.nodes.slice(0, mainIndex);
  // Walk back from the main node: a node is a CTE when a node that is used mentions it.
  const used = new Set<string>();
  const visit = (node: PipeNode, before: number) => {
    for (const other of earlier.slice(0, before)) {
      if (!used.has(other.name) && mentions(node.sql, other.name)) {
        used.add(other.name);
        visit(other, earlier.indexOf(other));
      }
    }
  };
  visit(main, earlier.length);
  const bound = new Map<string, { type: string; value: string }>();
  const ctes = earlier.filter((n) => used.has(n.name)).map((n) => `${n.name} AS (\n${renderTemplate(n.sql, params, bound)}\n)`);
  const body = renderTemplate(main.sql, params, bound);
  return {
    sql: ctes.length === 0 ? body : `WITH ${ctes.join(',\n')}\n${body}`,
    params: Object.fromEntries([...bound].map(([name, { value }]) => [name, value])),
  };
}
