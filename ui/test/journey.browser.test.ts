/**
 * The newcomer's journey, end to end in Chromium: an app instrumented with @observa/sdk calls OpenAI (a
 * local fake following its wire format) inside a session for a user; then, signed in to the dashboard,
 * find the trace by filter, open it, read the chat and the cost, open its session, see the metrics chart.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, observe, withSession, withUser, wrapOpenAI } from '../../sdk/src/index.ts';
import type { ObservaHandle } from '../../sdk/src/types.ts';
import { startFakeLlmServer, TEXT_ANSWER, type FakeLlmServer } from '../../fixtures/fake-llm-server.ts';
import { formatCost } from '../src/format.ts';
import { screenshot, startDashboard, type Dashboard } from './browser-harness.ts';

const QUESTIONS = ['Which plan includes SSO?', 'And how much does it cost per seat?'];

describe('a newcomer sends traces with the SDK and reads them in the dashboard', () => {
  let dashboard: Dashboard;
  let llm: FakeLlmServer;
  let sdk: ObservaHandle;

  beforeAll(async () => {
    dashboard = await startDashboard();
    llm = await startFakeLlmServer();
    sdk = init({ endpoint: dashboard.collector.url, apiKey: dashboard.collector.apiKey, serviceName: 'support-bot' });
    const openai = wrapOpenAI(new OpenAI({ baseURL: llm.baseURL, apiKey: 'test-key' }));
    const history: OpenAI.ChatCompletionMessageParam[] = [{ role: 'system', content: 'You answer billing questions.' }];
    const answer = observe('support turn', async (question: string) => {
      history.push({ role: 'user', content: question });
      const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: history });
      const text = completion.choices[0].message.content ?? '';
      history.push({ role: 'assistant', content: text });
      return text;
    }, { type: 'agent' });
    await withSession('journey-session', () => withUser('journey-user', async () => {
      for (const question of QUESTIONS) await answer(question);
    }));
    // An unrelated trace the filter must leave out.
    await observe('nightly digest', async () => openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Summarise the day' }] }))();
    await sdk.flush();
    await dashboard.collector.shipped();
  });
  afterAll(async () => {
    await sdk?.shutdown();
    await llm?.close();
    await dashboard?.close();
  });

  it('walks from the trace list to the chat, the cost, the session and the metrics', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page);
    const projectId = dashboard.collector.projectId;

    // Find the trace: filter by the user, then free text over the input.
    await page.goto(`/projects/${projectId}/traces`);
    await expect.poll(() => page.locator('.traces-table tbody tr').count()).toBe(3);
    await page.getByLabel('User', { exact: true }).fill('journey-user');
    await page.getByLabel('User', { exact: true }).press('Enter');
    await expect.poll(() => page.locator('.traces-table:not(.is-reloading) tbody tr').count()).toBe(2);
    await page.getByLabel('Search', { exact: true }).fill('per seat');
    await page.getByLabel('Search', { exact: true }).press('Enter');
    await expect.poll(() => page.locator('.traces-table:not(.is-reloading) tbody tr').count()).toBe(1);
    const row = page.locator('.traces-table tbody tr').first();
    expect(await row.textContent()).toContain('support turn');
    await screenshot(page, 'journey-traces-filtered');

    // Open it: the agent and its OpenAI call, the chat with the whole conversation, tokens and cost.
    await row.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/traces\/[0-9a-f]{32}/);
    await expect.poll(() => page.getByRole('treeitem').count()).toBe(2);
    const panel = page.getByRole('region', { name: 'Selected span' });
    const traceId = page.url().match(/traces\/([0-9a-f]{32})/)![1];
    const detail = (await (await dashboard.collector.request(`/api/v1/traces/${traceId}`)).json()) as { spans: { type: string; cost_usd: number }[] };
    const cost = detail.spans.find((s) => s.type === 'llm')!.cost_usd;
    expect(cost).toBeGreaterThan(0);
    await expect.poll(() => panel.locator('.span-metrics').textContent()).toContain(`Cost${formatCost(cost)} computed`);
    const chat = (await panel.textContent()) ?? '';
    for (const text of [...QUESTIONS, 'You answer billing questions.', TEXT_ANSWER]) expect(chat).toContain(text);
    expect(chat).toContain('gpt-4o-mini');
    await screenshot(page, 'journey-trace');

    // Its session replays both turns in order.
    await page.locator('.trace-header').getByRole('link', { name: 'journey-session' }).click();
    await page.waitForURL(/\/sessions\/journey-session/);
    await expect.poll(() => page.getByText(QUESTIONS[1]).count()).toBe(1);
    const replay = (await page.locator('.content').textContent()) ?? '';
    expect(replay.indexOf(QUESTIONS[0])).toBeGreaterThan(-1);
    expect(replay.indexOf(QUESTIONS[0])).toBeLessThan(replay.indexOf(QUESTIONS[1]));
    await screenshot(page, 'journey-session');

    // The metrics page charts the three calls.
    await page.getByRole('link', { name: 'Metrics' }).click();
    await page.waitForURL(/\/metrics/);
    await expect.poll(() => page.locator('.uplot canvas').count()).toBeGreaterThan(0);
    const box = await page.locator('.uplot canvas').first().boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    await expect.poll(() => page.locator('.metrics-cards').textContent()).toMatch(/Requests\s*3/);
    await screenshot(page, 'journey-metrics');
  });
});
