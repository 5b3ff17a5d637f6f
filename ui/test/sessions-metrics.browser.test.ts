import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startDashboard, type Dashboard } from './browser-harness.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const text = (role: string, content: string) => ({ role, parts: [{ type: 'text', content }] });

const SYSTEM = text('system', 'You are a terse geography assistant.');
const LONG_SESSION = 60;
const CONVERSATION = [
  ['What is the capital of France?', 'The capital of France is Paris.'],
  ['And what about Italy?', 'Rome is the capital of Italy.'],
  ['Which of the two is bigger?', 'Rome has more inhabitants than Paris.'],
];

/** A trace as an app would send it: a root span and one LLM call under it. */
function turn(options: { start: number; user: string; session?: string; model: string; provider: string; input: object[]; output: object[]; cost: number; tokens: [number, number]; latencyMs: number; failed?: boolean }) {
  const traceId = hex(16);
  const rootId = hex(8);
  const common = { trace_id: traceId, user_id: options.user, session_id: options.session ?? '' };
  const iso = (ms: number) => new Date(ms).toISOString();
  return [
    { ...common, span_id: rootId, name: 'chat-turn', type: 'chain', start_time: iso(options.start), end_time: iso(options.start + options.latencyMs + 50), status: 'ok' },
    {
      ...common, span_id: hex(8), parent_span_id: rootId, name: `chat ${options.model}`, type: 'llm', model: options.model, provider: options.provider,
      start_time: iso(options.start + 10), end_time: iso(options.start + 10 + options.latencyMs), status: options.failed ? 'error' : 'ok',
      input: options.input, output: options.output, input_tokens: options.tokens[0], output_tokens: options.tokens[1], cost_usd: options.cost,
    },
  ];
}

function seed(now: number) {
  const events: object[] = [];
  const history: object[] = [SYSTEM];
  CONVERSATION.forEach(([question, answer], i) => {
    history.push(text('user', question));
    events.push(...turn({ start: now - 600_000 + i * 60_000, user: 'alice', session: 'sess-alice', model: 'gpt-4o-mini', provider: 'openai', input: [...history], output: [text('assistant', answer)], cost: 0.01 * (i + 1), tokens: [100, 20], latencyMs: 1000 }));
    history.push(text('assistant', answer));
  });
  // A long session of traces without LLM calls: its turns load as they scroll into view, from the previews.
  for (let i = 0; i < LONG_SESSION; i++) {
    const start = now - 3 * 3_600_000 + i * 5_000;
    events.push({ trace_id: hex(16), span_id: hex(8), name: 'step', type: 'chain', session_id: 'sess-long', start_time: new Date(start).toISOString(), end_time: new Date(start + 5).toISOString(), input: [text('user', `Step ${i} input`)], output: [text('assistant', `Step ${i} output`)] });
  }
  for (const i of [0, 1]) {
    events.push(...turn({ start: now - 300_000 + i * 60_000, user: 'bob', model: 'claude-3-5-haiku', provider: 'anthropic', input: [text('user', `Bob question ${i}`)], output: [text('assistant', `Bob answer ${i}`)], cost: 0.5, tokens: [1000, 200], latencyMs: 2000, failed: i === 1 }));
  }
  return events;
}

describe('sessions, users and metrics', () => {
  let dashboard: Dashboard;
  let project: string;
  beforeAll(async () => {
    dashboard = await startDashboard();
    project = `/projects/${dashboard.collector.projectId}`;
    const response = await dashboard.collector.request('/api/v1/events/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(seed(Date.now())) });
    expect(await response.json()).toMatchObject({ accepted: 10 + LONG_SESSION, rejected: [] });
    await dashboard.collector.shipped();
  });
  afterAll(async () => dashboard?.close());

  it('lists the session and replays it turn by turn, each message once', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page);
    await page.goto(`${project}/sessions`);
    const row = page.locator('tr[data-row-key="sess-alice"]');
    await expect.poll(() => row.count()).toBe(1);
    const cells = await row.locator('td').allInnerTexts();
    expect(cells).toEqual(expect.arrayContaining(['alice', '3', '$0.0600', '360']));
    expect(await page.locator('tbody tr').count()).toBe(2); // bob's traces have no session
    await screenshot(page, 'sessions');

    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`${project}/sessions/sess-alice$`));
    await expect.poll(() => page.locator('.turn').count()).toBe(3);
    await expect.poll(() => page.locator('.turn-loading').count()).toBe(0);
    const replay = await page.locator('.turns').innerText();
    const said = CONVERSATION.flat();
    for (const line of said) expect(replay.split(line).length - 1, line).toBe(1);
    const positions = said.map((line) => replay.indexOf(line));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(replay).not.toContain('terse geography assistant'); // the system prompt waits behind "show full input"

    const third = page.getByRole('article', { name: 'Turn 3', exact: true });
    await third.getByRole('button', { name: /Show full input \(6 messages\)/ }).click();
    await expect.poll(() => third.innerText()).toContain('terse geography assistant');
    const traceLink = await third.getByRole('link', { name: 'chat-turn' }).getAttribute('href');
    expect(traceLink).toMatch(new RegExp(`${project}/traces/[0-9a-f]{32}$`));
    const userLink = await page.locator('.card', { hasText: 'User' }).getByRole('link', { name: 'alice' }).getAttribute('href');
    expect(userLink).toBe(`${project}/traces?user_id=alice`);
    await third.getByRole('button', { name: 'Hide full input' }).click();
    await screenshot(page, 'session-replay');
  });

  it('loads the turns of a long session as they come into view', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page);
    let fetched = 0;
    page.on('request', (request) => void (/\/api\/v1\/traces\/[0-9a-f]{32}$/.test(new URL(request.url()).pathname) && fetched++));
    await page.goto(`${project}/sessions/sess-long`);
    await expect.poll(() => page.locator('.turn').count()).toBe(LONG_SESSION);
    await expect.poll(() => page.getByRole('article', { name: 'Turn 1', exact: true }).innerText()).toContain('Step 0 output');
    await page.waitForTimeout(300);
    expect(fetched).toBeLessThan(LONG_SESSION / 2);
    expect(await page.getByRole('status').innerText()).toMatch(new RegExp(`of ${LONG_SESSION} turns loaded`));
    await page.keyboard.press('End');
    await page.getByRole('article', { name: `Turn ${LONG_SESSION}`, exact: true }).scrollIntoViewIfNeeded();
    await expect.poll(() => page.getByRole('article', { name: `Turn ${LONG_SESSION}`, exact: true }).innerText(), { timeout: 15_000 }).toContain(`Step ${LONG_SESSION - 1} input`);
    await expect.poll(() => page.locator('.turn-loading').count()).toBe(0);
    expect(fetched).toBe(LONG_SESSION); // each trace once
    expect(await page.getByText('No LLM messages in this trace').count()).toBe(LONG_SESSION);
  });

  it('going from one session to another never shows the first under the second\'s address', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page);
    await page.goto(`${project}/sessions/sess-alice`);
    await expect.poll(() => page.locator('.turn').count()).toBe(3);
    // Hold the next session back, then move there inside the app (as Back or a link would).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const detail = (url: URL) => url.pathname === '/api/v1/sessions/sess-long';
    await page.route(detail, async (route) => {
      await held;
      await route.continue().catch(() => {}); // the page may have given up on it meanwhile
    });
    await page.evaluate(`history.pushState(null, '', '${project}/sessions/sess-long'); dispatchEvent(new PopStateEvent('popstate'))`);
    await page.getByText('Loading session…').waitFor();
    expect(await page.locator('.turn').count()).toBe(0);
    release();
    await page.unroute(detail);
    await expect.poll(() => page.locator('h1').innerText()).toContain('sess-long');
  });

  it('shows usage per user, linking to their sessions', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page);
    await page.goto(`${project}/users`);
    const alice = page.locator('tr[data-row-key="alice"]');
    await expect.poll(() => alice.count()).toBe(1);
    const cells = await alice.locator('td').allInnerTexts();
    expect(cells.slice(0, 6)).toEqual(['alice', '3', '3', '360', '$0.0600', '0']);
    expect(await page.locator('tr[data-row-key="bob"] td').nth(5).innerText()).toBe('1');
    // Costliest first by default; sorting by traces puts alice on top.
    expect(await page.locator('tbody tr').first().getAttribute('data-row-key')).toBe('bob');
    await page.getByRole('button', { name: 'Traces', exact: true }).click();
    await expect.poll(() => page.locator('tbody tr').first().getAttribute('data-row-key')).toBe('alice');
    expect(new URL(page.url()).searchParams.get('sort')).toBe('traces');
    await screenshot(page, 'users');

    await alice.getByRole('link', { name: 'Sessions' }).click();
    await page.waitForURL(/\/sessions\?user_id=alice/);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').getAttribute('data-row-key')).toBe('sess-alice');
  });

  it('draws the metrics charts and totals, split per model on demand', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page);
    await page.goto(`${project}/metrics`);
    const card = (label: string) => page.locator('.card', { hasText: label }).locator('.card-value');
    await expect.poll(() => card('Requests').innerText()).toBe('5');
    expect(await card('Tokens').innerText()).toBe('2,760');
    expect(await card('Cost').innerText()).toBe('$1.06');
    await expect.poll(() => card('Error rate').innerText()).toBe('1.43%'); // 1 of 70 spans
    await expect.poll(() => card('Latency p50').innerText()).toBe('1.40 s');

    await expect.poll(() => page.locator('.time-chart canvas').count()).toBe(5);
    for (const canvas of await page.locator('.time-chart canvas').all()) {
      const box = await canvas.boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      expect(box!.height).toBeGreaterThan(100);
    }
    const models = page.getByRole('table', { name: 'Models' });
    await expect.poll(() => models.locator('tbody tr').count()).toBe(2);
    expect(await models.locator('tbody tr').first().innerText()).toMatch(/claude-3-5-haiku\s+anthropic\s+2\s+2,000\s+400\s+\$1\.00\s+2\.00 s\s+2\.00 s\s+1/);

    await page.getByRole('combobox', { name: 'Break down by' }).selectOption('model');
    await page.waitForURL(/by=model/);
    const costChart = page.getByRole('region', { name: 'Cost by model' });
    // Away from the cursor, the legend reads each model's total over the range.
    await expect.poll(() => costChart.locator('.u-legend').innerText()).toMatch(/claude-3-5-haiku\W*\$1\.00\W*gpt-4o-mini\W*\$0\.0600/);
    expect(await costChart.locator('canvas').boundingBox()).toMatchObject({ width: expect.any(Number) });
    await screenshot(page, 'metrics');

    // Dragging across a chart zooms the whole view to that window (a deep link): the first hours hold nothing.
    const plot = (await page.getByRole('region', { name: 'Requests by model' }).locator('.u-over').boundingBox())!;
    await page.mouse.move(plot.x + plot.width * 0.1, plot.y + plot.height / 2);
    await page.mouse.down();
    await page.mouse.move(plot.x + plot.width * 0.4, plot.y + plot.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForURL(/from=.*to=/);
    const zoomed = new URL(page.url()).searchParams;
    expect(Date.parse(zoomed.get('to')!) - Date.parse(zoomed.get('from')!)).toBeLessThan(12 * 3_600_000);
    expect(zoomed.get('by')).toBe('model');
    await expect.poll(() => card('Requests').innerText()).toBe('0');
    await page.goBack();
    await expect.poll(() => card('Requests').innerText()).toBe('5');

    await models.locator('tr', { hasText: 'gpt-4o-mini' }).click();
    await page.waitForURL(/\/traces\?model=gpt-4o-mini/);
  });
});
