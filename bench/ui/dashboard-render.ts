/**
 * Dashboard render time in Chromium with a project of 100 000 traces (BENCH_UI_TRACES), each figure
 * beside the API request the view waits for, fetched alone from the same page in the same round (the
 * ratio is what the dashboard adds on top of its data). Seeded once, each view warmed once, then
 * BENCH_UI_RUNS rounds. A view is "painted" when the first frame holding its content has been drawn:
 * an init script checks the DOM on every animation frame from navigation start, and once the content
 * is there it takes `performance.now()` (ms since navigation start) in a task posted from that frame,
 * which runs after the frame is painted. See docs/dashboard.md.
 */
import os from 'node:os';
import type { Page } from 'playwright-core';
import { screenshot, startDashboard, type Dashboard } from '../../ui/test/browser-harness.ts';
import { DETAIL_SPANS, seedTraces, type SeededProject } from './seed-traces.ts';
import type { Figure } from '../table.ts';

const TRACES = Number(process.env.BENCH_UI_TRACES ?? 100_000);
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 20);
const TARGET_MS = 1000;
const ROWS = 50;
const TABLE_ROWS = 'table.data-table tbody tr';
const LIST_READY: Wait[] = [{ selector: TABLE_ROWS, count: ROWS }];
/** The detail view is ready when every row of its span tree and the selected span's chat (a message at least) are painted. */
const DETAIL_READY: Wait[] = [{ selector: '[role="tree"] [role="treeitem"]', count: DETAIL_SPANS }, { selector: '.span-panel .chat-body', count: 1 }];

const LIST = { path: /^\/api\/v1\/traces\?/, label: 'GET /api/v1/traces?…' };
const DETAIL = { path: /^\/api\/v1\/traces\/[0-9a-f]{32}$/, label: 'GET /api/v1/traces/:id' };

interface Wait {
  selector: string;
  count: number;
}

interface Timing {
  /** Navigation (or click) → content painted. */
  total: number;
  /** The app's script loaded (0 after a click): what comes before is the document and the bundle's download. */
  scriptEnd: number;
  /** The data request the view waits for, as the page made it: start and end, same clock. */
  dataStart: number;
  dataEnd: number;
  /** That request fetched alone from the page. */
  fetchAlone: number;
}

interface Scenario {
  name: string;
  /** The page's own data request (path and query) that the baseline fetches again alone. */
  dataPath: RegExp;
  dataLabel: string;
  measure(page: Page): Promise<Timing>;
}

/** In the page, before the app: marks the first painted frame in which every awaited selector has enough elements. */
function markPainted(): void {
  const w = globalThis as any;
  const wanted: Wait[] | null = JSON.parse(w.sessionStorage.getItem('bench:wait') ?? 'null');
  if (!wanted) return;
  const ready = () => wanted.every(({ selector, count }) => w.document.querySelectorAll(selector).length >= count);
  const frame = () => {
    if (!ready()) return w.requestAnimationFrame(frame);
    const channel = new w.MessageChannel();
    channel.port1.onmessage = () => (w.__benchPainted = performance.now());
    channel.port2.postMessage(null);
  };
  w.requestAnimationFrame(frame);
}

interface Loaded {
  url: string;
  type: string;
  start: number;
  end: number;
}

/** In the page: what it loaded so far (resource timings: scripts, fetches), start and end since navigation start. */
function loaded(): Loaded[] {
  return (globalThis as any).performance.getEntriesByType('resource').map((e: any) => ({ url: e.name, type: e.initiatorType, start: e.startTime, end: e.responseEnd }));
}

/** In the page: one GET with the session cookie and the project header, body read, in ms. */
async function fetchAlone({ url, projectId }: { url: string; projectId: string }): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { accept: 'application/json', 'x-observa-project-id': projectId } });
  await response.json();
  return performance.now() - started;
}

function lastRequest(resources: Loaded[], dataPath: RegExp, after = 0): Loaded {
  const requests = resources.filter((r) => r.type === 'fetch' && r.start >= after && dataPath.test(new URL(r.url).pathname + new URL(r.url).search));
  if (requests.length === 0) throw new Error(`the view made no request matching ${dataPath}`);
  return requests[requests.length - 1];
}

function navigation(name: string, pathname: string, wait: Wait[], request: { path: RegExp; label: string }, projectId: string): Scenario {
  return {
    name,
    dataPath: request.path,
    dataLabel: request.label,
    async measure(page) {
      await page.evaluate((w) => (globalThis as any).sessionStorage.setItem('bench:wait', JSON.stringify(w)), wait);
      await page.goto(pathname, { waitUntil: 'commit' });
      await page.waitForFunction(() => (globalThis as any).__benchPainted !== undefined, null, { timeout: 30_000 }).catch(async (err) => {
        const counts = await page.evaluate((w) => w.map(({ selector }) => (globalThis as any).document.querySelectorAll(selector).length), wait);
        const shot = await screenshot(page, 'bench-not-painted');
        throw new Error(`${name}: not painted within 30 s (${wait.map((w, i) => `${w.selector}: ${counts[i]}/${w.count}`).join(', ')}; see ${shot}): ${err.message}`);
      });
      const total = await page.evaluate(() => (globalThis as any).__benchPainted as number);
      const resources = await page.evaluate(loaded);
      const data = lastRequest(resources, request.path);
      const scriptEnd = Math.max(0, ...resources.filter((r) => r.type === 'script').map((r) => r.end));
      await page.evaluate(() => (globalThis as any).sessionStorage.removeItem('bench:wait'));
      return { total, scriptEnd, dataStart: data.start, dataEnd: data.end, fetchAlone: await page.evaluate(fetchAlone, { url: data.url, projectId }) };
    },
  };
}

/** In the page: clicks the pager's next button and resolves, after the frame that shows new rows is painted, with the ms taken. */
function clickNext(selector: string): Promise<{ total: number; clickedAt: number }> {
  const w = globalThis as any;
  const doc = w.document;
  const firstRow = () => doc.querySelector(selector)?.textContent ?? '';
  const button = [...doc.querySelectorAll('button')].find((b: any) => /^next page/i.test(b.textContent.trim()));
  if (!button) throw new Error('no "Next page" button');
  const before = firstRow();
  const count = doc.querySelectorAll(selector).length;
  return new Promise((resolve) => {
    const clickedAt = performance.now();
    button.click();
    const frame = () => {
      if (firstRow() === before && doc.querySelectorAll(selector).length <= count) return w.requestAnimationFrame(frame);
      const channel = new w.MessageChannel();
      channel.port1.onmessage = () => resolve({ total: performance.now() - clickedAt, clickedAt });
      channel.port2.postMessage(null);
    };
    w.requestAnimationFrame(frame);
  });
}

function nextPage(tracesPath: string, projectId: string): Scenario {
  const first = navigation('', tracesPath, LIST_READY, LIST, projectId);
  const dataPath = /^\/api\/v1\/traces\?.*cursor=/;
  return {
    name: `traces page: click next → ${ROWS} new rows painted`,
    dataPath,
    dataLabel: 'GET /api/v1/traces?cursor=…',
    async measure(page) {
      await first.measure(page);
      const { total, clickedAt } = await page.evaluate(clickNext, TABLE_ROWS);
      const data = lastRequest(await page.evaluate(loaded), dataPath, clickedAt);
      return { total, scriptEnd: 0, dataStart: data.start - clickedAt, dataEnd: data.end - clickedAt, fetchAlone: await page.evaluate(fetchAlone, { url: data.url, projectId }) };
    },
  };
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)];
const ms = (n: number) => `${Math.round(n)} ms`;

function report(scenario: Scenario, timings: Timing[]): Figure {
  const total = timings.map((t) => t.total);
  const p95 = percentile(total, 95);
  const verdict = p95 < TARGET_MS ? 'PASS' : 'MISS';
  const part = (f: (t: Timing) => number) => ms(percentile(timings.map(f), 50));
  console.log(`  ${scenario.name}: p50 ${ms(percentile(total, 50))}, p95 ${ms(p95)}, max ${ms(Math.max(...total))} — ${verdict} (< ${TARGET_MS} ms at p95)`);
  const script = timings.some((t) => t.scriptEnd > 0) ? `app script loaded ${part((t) => t.scriptEnd)}, then ` : '';
  console.log(`    p50 breakdown: ${script}until the data request starts ${part((t) => t.dataStart - t.scriptEnd)}, data request ${part((t) => t.dataEnd - t.dataStart)}, data → painted ${part((t) => t.total - t.dataEnd)}`);
  return {
    name: `${scenario.name}, p50 (p95 ${ms(p95)}: ${verdict})`, unit: 'ms', value: percentile(total, 50),
    baselineName: `${scenario.dataLabel} fetched alone, p50`,
    baseline: percentile(timings.map((t) => t.fetchAlone), 50), higherIsBetter: false,
  };
}

export async function dashboardRender(traces = TRACES, runs = RUNS): Promise<Figure[]> {
  if (!process.env.TEST_DATABASE_URL) console.warn('dashboard bench: TEST_DATABASE_URL is not set, so the control plane is embedded PGlite (not what production runs)');
  const dashboard: Dashboard = await startDashboard({
    // The bench sends and reads far more than one person would: no rate limits.
    env: { OBSERVA_RATE_LIMIT_INGEST_TENANT: '0', OBSERVA_RATE_LIMIT_INGEST_IP: '0', OBSERVA_RATE_LIMIT_API_TENANT: '0', OBSERVA_RATE_LIMIT_API_IP: '0' },
  });
  try {
    const seeded: SeededProject = await seedTraces(dashboard.collector, traces);
    console.log(`dashboard bench: seeded ${seeded.traces} traces (${seeded.spans} spans) through POST /api/v1/events/ingest and shipped to the analytics store in ${seeded.seconds.toFixed(1)} s`);
    const { projectId } = dashboard.collector;
    const tracesPath = `/projects/${projectId}/traces`;
    const filter = new URLSearchParams(seeded.filter).toString();
    const scenarios: Scenario[] = [
      navigation(`traces page: navigation → ${ROWS} rows painted`, tracesPath, LIST_READY, LIST, projectId),
      navigation(`traces page, ${filter}: navigation → ${ROWS} rows painted`, `${tracesPath}?${filter}`, LIST_READY, LIST, projectId),
      navigation(`traces page, costliest first: navigation → ${ROWS} rows painted`, `${tracesPath}?sort=total_cost_usd&order=desc`, LIST_READY, LIST, projectId),
      nextPage(tracesPath, projectId),
      navigation(`trace detail (${DETAIL_SPANS} spans): navigation → span tree and chat painted`, `${tracesPath}/${seeded.detailTraceId}`, DETAIL_READY, DETAIL, projectId),
    ];
    const page = await dashboard.newPage();
    // tsx compiles this file keeping function names through an `__name` helper the page lacks.
    await page.context().addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    await page.context().addInitScript(markPainted);
    await dashboard.signIn(page);
    for (const scenario of scenarios) await scenario.measure(page); // warm: caches, JIT, connections
    const timings = scenarios.map(() => [] as Timing[]);
    // Round-robin, so machine noise spreads over every view alike.
    for (let run = 0; run < runs; run++) for (const [i, scenario] of scenarios.entries()) timings[i].push(await scenario.measure(page));
    console.log(`dashboard bench: ${runs} runs per view, ${traces} traces in the project, Chromium 1280×800, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    return scenarios.map((scenario, i) => report(scenario, timings[i]));
  } finally {
    await dashboard.close();
  }
}
