/**
 * `npm run bench`: every benchmark, each figure printed beside a baseline measured in the same run
 * (absolute numbers on a shared 2-core machine mean little; ratios do). Fixed seeds, generated data.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench     all of them (~30 min)
 *   npm run bench -- --only=decode,ingest
 *
 * Groups: decode, ingest, memory (needs ingest's maximum: runs it when not already run), reads, sdk, ui,
 * ways (OTLP logs joined to spans, OTLP/gRPC).
 */
import { otlpDecode } from './decode.ts';
import { collectorMemory } from './ingest/collector-memory.ts';
import { ingestThroughput, type IngestResults } from './ingest/ingest-throughput.ts';
import { readQueries } from './reads/run.ts';
import { sdkSpanCost } from './sdk-span-cost.ts';
import { printTable, type Figure } from './table.ts';
import { bundleSize } from './ui/bundle-size.ts';
import { dashboardRender } from './ui/dashboard-render.ts';
import { waysIn } from './ways-in.ts';

const GROUPS = ['decode', 'ingest', 'memory', 'reads', 'sdk', 'ui', 'ways'] as const;
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = only?.filter((g) => !(GROUPS as readonly string[]).includes(g));
if (unknown?.length) throw new Error(`unknown bench group(s) ${unknown.join(', ')}; known: ${GROUPS.join(', ')}`);
const wanted = (group: (typeof GROUPS)[number]) => !only || only.includes(group);

const postgres = Boolean(process.env.TEST_DATABASE_URL);
if (!postgres) console.warn('TEST_DATABASE_URL is not set: the ingest figures on a Postgres server are skipped');

const figures: Figure[] = [];
const failed: string[] = [];
let ingest: IngestResults | null = null;
const measureIngest = async () => (ingest ??= await ingestThroughput(postgres ? ['embedded', 'postgres'] : ['embedded']));

/** One group's figures; a group that fails is reported after the table, the others still print. */
async function run(group: (typeof GROUPS)[number], measure: () => Promise<Figure[]>): Promise<void> {
  if (!wanted(group)) return;
  try {
    figures.push(...(await measure()));
  } catch (err) {
    console.error(`bench group ${group} failed:`, err);
    failed.push(group);
  }
}

await run('decode', otlpDecode);
await run('ingest', async () => (await measureIngest()).figures);
await run('memory', async () => collectorMemory((await measureIngest()).maxima.embedded!));
await run('reads', () => readQueries());
await run('sdk', sdkSpanCost);
await run('ui', async () => [...(await bundleSize()), ...(await dashboardRender())]);
await run('ways', waysIn);
printTable(figures);
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
