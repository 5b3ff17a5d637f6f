/**
 * The dashboard's production bundle: a fresh `vite build` of this checkout into a temp dir, every JS
 * and CSS file raw and gzipped (level 9, as a server or CDN would send it), against the budget of
 * 150 kB gzip for all JS together (kB = 1000 bytes, as Vite prints). Lists each chunk, marking those
 * index.html loads at once; the rest load when a view needs them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildDashboard } from '../../ui/test/browser-harness.ts';
import type { Figure } from '../table.ts';

const BUDGET_KB = 150;

interface Chunk {
  file: string;
  raw: number;
  gzip: number;
  initial: boolean;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]);
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);

function printChunks(title: string, chunks: Chunk[]): void {
  const width = Math.max(title.length, ...chunks.map((c) => c.file.length));
  console.log(`  ${title.padEnd(width)}  ${'raw kB'.padStart(8)}  ${'gzip kB'.padStart(8)}`);
  for (const c of chunks) console.log(`  ${`${c.file}${c.initial ? ' *' : ''}`.padEnd(width)}  ${kb(c.raw).padStart(8)}  ${kb(c.gzip).padStart(8)}`);
  const sum = (f: (c: Chunk) => number) => chunks.reduce((total, c) => total + f(c), 0);
  console.log(`  ${'total'.padEnd(width)}  ${kb(sum((c) => c.raw)).padStart(8)}  ${kb(sum((c) => c.gzip)).padStart(8)}`);
}

export async function bundleSize(): Promise<Figure[]> {
  const outDir = await buildDashboard();
  try {
    const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
    const chunks = filesUnder(outDir)
      .filter((file) => /\.(js|css)$/.test(file))
      .map((file): Chunk => {
        const bytes = fs.readFileSync(file);
        const name = path.relative(outDir, file);
        return { file: name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, initial: html.includes(`/${name}"`) };
      })
      .sort((a, b) => b.gzip - a.gzip);
    const js = chunks.filter((c) => c.file.endsWith('.js'));
    const css = chunks.filter((c) => c.file.endsWith('.css'));
    const gzipKb = js.reduce((total, c) => total + c.gzip, 0) / 1000;
    const verdict = gzipKb < BUDGET_KB ? 'PASS' : 'MISS';
    console.log(`dashboard bundle (* = loaded by index.html at once):`);
    printChunks('JS', js);
    printChunks('CSS', css);
    console.log(`  JS gzip ${gzipKb.toFixed(1)} kB of a ${BUDGET_KB} kB budget: ${verdict}`);
    return [{
      name: `dashboard JS, gzip level 9, ${js.length} chunks (${verdict})`, unit: 'kB', value: gzipKb,
      baselineName: 'budget', baseline: BUDGET_KB, higherIsBetter: false,
    }];
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}
