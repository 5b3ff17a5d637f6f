/**
 * The traces list in Chromium: filters (model, status, user, text) in the URL, sorting by cost, cursor
 * pages, keyboard opening, deep links, live mode, and the onboarding of a project without traces.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startDashboard, type Dashboard } from './browser-harness.ts';

const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5-20250929'];
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

interface Seed {
  id: string;
  name: string;
  model: string;
  status: 'ok' | 'error';
  user: string;
  session: string;
  cost: number;
  startMs: number;
}

/** 30 traces, one a minute up to now: i = 29 is the newest. */
const now = Date.now();
const seeds: Seed[] = Array.from({ length: 30 }, (_, i) => ({
  id: hex(0xa000 + i, 32),
  name: `support-answer-${String(i).padStart(2, '0')}`,
  model: i === 10 ? 'house-model-x' : MODELS[i % 3],
  status: i % 5 === 0 ? 'error' : 'ok',
  user: `user-${i % 4}`,
  session: `session-${i % 6}`,
  cost: i === 10 ? 0 : (i + 1) / 1000,
  startMs: now - (31 - i) * 60_000,
}));

function event(seed: Seed, i: number) {
  const start = new Date(seed.startMs);
  return {
    trace_id: seed.id,
    span_id: hex(0xb000 + i, 16),
    name: seed.name,
    type: 'llm',
    model: seed.model,
    provider: seed.model.startsWith('claude') ? 'anthropic' : 'openai',
    status: seed.status,
    ...(seed.status === 'error' ? { status_message: 'upstream timeout' } : {}),
    start_time: start.toISOString(),
    end_time: new Date(seed.startMs + ((i * 37) % 11 + 1) * 100).toISOString(),
    input_tokens: 100 + i * 10,
    output_tokens: 20 + i,
    ...(seed.cost > 0 ? { cost_usd: seed.cost } : {}),
    user_id: seed.user,
    session_id: seed.session,
    tags: i % 2 ? ['beta'] : ['prod'],
    input: [{ role: 'user', parts: [{ type: 'text', content: i === 7 ? 'What is the refund policy for umbrellas?' : `Question number ${i}` }] }],
    output: [{ role: 'assistant', parts: [{ type: 'text', content: `Answer ${i}` }] }],
  };
}

describe('the traces list', () => {
  let dashboard: Dashboard;
  let page: Page;
  let tracesPath: string;

  const ingest = async (events: object[]) => {
    const response = await dashboard.collector.request('/api/v1/events/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
    const answer = (await response.json()) as { accepted: number; rejected: unknown[] };
    expect(answer.rejected).toEqual([]);
    expect(answer.accepted).toBe(events.length);
    await dashboard.collector.shipped();
  };
  /** Trace ids of the rows shown, top to bottom, once the list has settled. */
  const rowIds = async () => {
    await page.locator('.traces-table:not(.is-reloading) tbody tr').first().waitFor();
    return page.locator('.traces-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row-key')));
  };
  const expectRows = async (expected: Seed[]) => expect.poll(rowIds).toEqual(expected.map((s) => s.id));
  const newestFirst = (list: Seed[]) => [...list].sort((a, b) => b.startMs - a.startMs);

  beforeAll(async () => {
    dashboard = await startDashboard();
    tracesPath = `/projects/${dashboard.collector.projectId}/traces`;
    await ingest(seeds.map(event));
    page = await dashboard.newPage();
    await dashboard.signIn(page);
  });
  afterAll(async () => dashboard?.close());

  it('lists traces newest first with their cost, tokens, user and session', async () => {
    await page.goto(tracesPath);
    await expectRows(newestFirst(seeds));
    const newest = page.locator(`tr[data-row-key="${seeds[29].id}"]`);
    await expect.poll(() => newest.textContent()).toContain('support-answer-29');
    const text = (await newest.textContent()) ?? '';
    expect(text).toContain('$0.0300');
    expect(text).toContain('user-1');
    expect(text).toContain('session-5');
    // The unpriced model's trace says its cost is incomplete.
    expect(await page.locator(`tr[data-row-key="${seeds[10].id}"] .unpriced`).getAttribute('title')).toContain('house-model-x');
    expect(await page.locator('.traces-summary').textContent()).toMatch(/30 traces shown/);
    await screenshot(page, 'traces-list');
  });

  it('filters by model, status, user and text, in the URL, and survives a reload', async () => {
    await page.goto(tracesPath);
    await page.getByLabel('Model', { exact: true }).fill('gpt-4o-mini');
    await page.getByLabel('Model', { exact: true }).press('Enter');
    await page.waitForURL(/model=gpt-4o-mini/);
    await expectRows(newestFirst(seeds.filter((s) => s.model === 'gpt-4o-mini')));
    await screenshot(page, 'traces-filtered');

    await page.getByLabel('Status', { exact: true }).selectOption('error');
    await expectRows(newestFirst(seeds.filter((s) => s.model === 'gpt-4o-mini' && s.status === 'error')));
    await page.getByRole('button', { name: 'Remove filter Model' }).click();
    await expectRows(newestFirst(seeds.filter((s) => s.status === 'error')));

    await page.getByLabel('User', { exact: true }).fill('user-2');
    await page.getByLabel('User', { exact: true }).press('Enter');
    const filtered = newestFirst(seeds.filter((s) => s.status === 'error' && s.user === 'user-2'));
    expect(filtered.length).toBeGreaterThan(0);
    await expectRows(filtered);

    // A deep link: the same URL, reloaded, shows the same rows and filter values.
    await page.reload();
    await expectRows(filtered);
    expect(await page.getByLabel('User', { exact: true }).inputValue()).toBe('user-2');

    await page.getByRole('button', { name: 'Clear all' }).click();
    await expectRows(newestFirst(seeds));
    // Free text over the input, debounced: no Enter needed.
    await page.getByLabel('Search', { exact: true }).pressSequentially('umbrellas');
    await expectRows([seeds[7]]);
    await page.getByLabel('Search', { exact: true }).press('Escape');
    await expectRows(newestFirst(seeds));

    await page.getByLabel('Search', { exact: true }).fill('no such words anywhere');
    await page.getByLabel('Search', { exact: true }).press('Enter');
    await expect.poll(() => page.getByText('No traces match these filters').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expectRows(newestFirst(seeds));
  });

  it('keeps a filter changed while the search is still waiting to apply', async () => {
    await page.goto(tracesPath);
    await rowIds();
    // The search applies 350 ms after the last key; the status changes before that. Applied late, the
    // search must add to the URL as it is then, not to the URL of when the typing started.
    await page.getByLabel('Search', { exact: true }).fill('umbrellas');
    await page.getByLabel('Status', { exact: true }).selectOption('ok');
    await page.waitForURL(/q=umbrellas/);
    expect(new URL(page.url()).searchParams.get('status')).toBe('ok');
    await expectRows([seeds[7]]);
  });

  it('narrows to a user from a row and opens a session from a row', async () => {
    await page.goto(tracesPath);
    await page.locator(`tr[data-row-key="${seeds[29].id}"] a`, { hasText: 'user-1' }).click();
    await page.waitForURL(/user_id=user-1/);
    await expectRows(newestFirst(seeds.filter((s) => s.user === 'user-1')));
    expect(await page.locator(`tr[data-row-key="${seeds[29].id}"] a`, { hasText: 'session-5' }).getAttribute('href')).toBe(`/projects/${dashboard.collector.projectId}/sessions/session-5`);
  });

  it('sorts by cost both ways from the column header', async () => {
    await page.goto(tracesPath);
    await rowIds();
    await page.getByRole('button', { name: /^Cost/ }).click();
    await page.waitForURL(/sort=total_cost_usd&order=desc/);
    const byCost = [...seeds].sort((a, b) => b.cost - a.cost);
    await expectRows(byCost);
    await page.getByRole('button', { name: /^Cost/ }).click();
    await page.waitForURL(/order=asc/);
    await expectRows([...byCost].reverse());
    expect(await page.getByRole('button', { name: 'Live' }).isDisabled()).toBe(true);
  });

  it('pages with next and previous, and a page link reopens that page', async () => {
    await page.goto(`${tracesPath}?limit=12&sort=total_cost_usd&order=desc`);
    const byCost = [...seeds].sort((a, b) => b.cost - a.cost);
    await expectRows(byCost.slice(0, 12));
    await page.getByRole('button', { name: /Next page/ }).click();
    await expectRows(byCost.slice(12, 24));
    await page.getByRole('button', { name: /Next page/ }).click();
    await expectRows(byCost.slice(24));
    expect(await page.getByRole('button', { name: /Next page/ }).isDisabled()).toBe(true);
    const third = page.url();
    await page.getByRole('button', { name: /Previous page/ }).click();
    await expectRows(byCost.slice(12, 24));
    await page.goto(third);
    await expectRows(byCost.slice(24));
    await page.getByRole('button', { name: /Previous page/ }).click();
    await expectRows(byCost.slice(12, 24));
    await page.getByRole('button', { name: /Previous page/ }).click();
    await expectRows(byCost.slice(0, 12));
    expect(await page.getByRole('button', { name: /Previous page/ }).isDisabled()).toBe(true);
  });

  it('moves through rows with the keyboard and opens one with Enter', async () => {
    await page.goto(tracesPath);
    const ids = await rowIds();
    await page.locator('.traces-table tbody tr').first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/traces/${ids[1]}$`));
  });

  it('shows a new trace in live mode without a reload', async () => {
    await page.goto(`${tracesPath}?live=1`);
    await expectRows(newestFirst(seeds));
    expect(await page.getByRole('button', { name: 'Live' }).getAttribute('aria-pressed')).toBe('true');
    const fresh: Seed = { ...seeds[0], id: hex(0xc001, 32), name: 'arrived-while-watching', startMs: Date.now() };
    await ingest([event(fresh, 40)]);
    await expect.poll(rowIds, { timeout: 10_000 }).toEqual([fresh.id, ...newestFirst(seeds).map((s) => s.id)]);
    expect(await page.locator(`tr[data-row-key="${fresh.id}"]`).getAttribute('class')).toContain('row-fresh');
  });

  it('shows how to send the first trace in a project without traces', async () => {
    // As the signed-in admin: the page's cookies, and the CSRF token a cookie-authenticated write needs.
    const csrf = (await page.context().cookies()).find((c) => c.name === 'observa_csrf')?.value ?? '';
    const response = await page.request.post(`/api/v1/tenants/${dashboard.collector.tenantId}/projects`, {
      headers: { 'x-observa-csrf': decodeURIComponent(csrf) },
      data: { name: 'Empty project' },
    });
    const created = { status: response.status(), body: (await response.json()) as { id: string } };
    expect(created.status).toBe(201);
    await page.goto(`/projects/${created.body.id}/traces`);
    await page.getByRole('region', { name: 'Send your first trace' }).waitFor();
    expect(await page.locator('.traces-table').count()).toBe(0);
    expect(await page.getByText('No traces match these filters').count()).toBe(0);
  });

  it('switching project shows nothing of the previous project while the new one loads, and focuses the page', async () => {
    await page.goto(`${tracesPath}?user_id=user-1`);
    await expectRows(newestFirst(seeds.filter((s) => s.user === 'user-1')));
    // Hold the new project's list back, so what shows meanwhile can be seen.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const list = (url: URL) => url.pathname === '/api/v1/traces';
    await page.route(list, async (route) => {
      await held;
      await route.continue().catch(() => {}); // the page may have given up on it meanwhile
    });
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Empty project' });
    await page.waitForURL((url) => !url.pathname.includes(dashboard.collector.projectId));
    await page.getByText('Loading traces…').waitFor();
    expect(await page.locator('.traces-table tbody tr').count()).toBe(0);
    // The filter belonged to the other project's list.
    expect(new URL(page.url()).searchParams.get('user_id')).toBeNull();
    expect(await page.evaluate('document.activeElement?.tagName')).toBe('MAIN');
    release();
    await page.unroute(list);
    await page.getByRole('region', { name: 'Send your first trace' }).waitFor();
  });
});
