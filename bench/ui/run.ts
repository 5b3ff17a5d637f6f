/**
 * The dashboard benchmarks alone: `npx tsx bench/ui/run.ts [--quick]` (`--quick`: 10 000 traces and
 * 5 runs, for iterating). Needs Debian Chromium and, for the numbers in docs/dashboard.md, a real
 * Postgres: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test.
 */
import { printTable, type Figure } from '../table.ts';
import { bundleSize } from './bundle-size.ts';
import { dashboardRender } from './dashboard-render.ts';

const quick = process.argv.includes('--quick');
const figures: Figure[] = [];
figures.push(...(await bundleSize()));
figures.push(...(await (quick ? dashboardRender(10_000, 5) : dashboardRender())));
printTable(figures);
