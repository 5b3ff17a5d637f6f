/**
 * `npm run bench`: every benchmark, each figure printed beside a baseline measured in the same run
 * (absolute numbers on a shared 2-core machine mean little; ratios do). Fixed seeds, generated data.
 */
import { sdkSpanCost } from './sdk-span-cost.ts';
import { bundleSize } from './ui/bundle-size.ts';
import { dashboardRender } from './ui/dashboard-render.ts';
import { printTable, type Figure } from './table.ts';

const figures: Figure[] = [];
figures.push(...(await sdkSpanCost()));
figures.push(...(await bundleSize()));
figures.push(...(await dashboardRender()));
printTable(figures);
