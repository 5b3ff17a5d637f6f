/**
 * Trace detail in a real browser: an agent trace (agent → LLM asking for a tool → tool → LLM answer,
 * plus a failing tool and a score) sent through the events ingest API, then read the way a user
 * would: the tree, the chat, tokens and cost, the error, a deep link to a span, keyboard selection.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startDashboard, type Dashboard } from './browser-harness.ts';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const traceId = hex(16);
const ids = { agent: hex(8), plan: hex(8), tool: hex(8), forecast: hex(8), answer: hex(8) };
const QUESTION = 'What is the weather in Paris?';
const ANSWER = 'It is 18°C and sunny in Paris. Enjoy your walk!';
const ERROR_MESSAGE = 'Forecast service timed out after 5 s';

const base = Date.now() - 60_000;
const at = (ms: number) => new Date(base + ms).toISOString();
const common = { trace_id: traceId, session_id: 'session-browser-1', user_id: 'user-browser-1', tags: ['browser-test'] };
const call = { type: 'tool_call', id: 'call_weather_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } };
const result = { type: 'tool_call_response', id: 'call_weather_1', response: { city: 'Paris', temperature_c: 18, condition: 'sunny' } };
const prompt = [
  { role: 'system', parts: [{ type: 'text', content: 'You are a helpful weather assistant.' }] },
  { role: 'user', parts: [{ type: 'text', content: QUESTION }] },
];

const events = [
  { ...common, span_id: ids.agent, name: 'weather-agent', type: 'agent', start_time: at(0), end_time: at(2400), metadata: { feature: 'weather' } },
  {
    ...common, span_id: ids.plan, parent_span_id: ids.agent, name: 'plan-call', type: 'llm', operation_name: 'chat',
    start_time: at(50), end_time: at(900), model: 'gpt-4o-mini-2024-07-18', provider: 'openai',
    input_tokens: 120, cache_read_tokens: 64, output_tokens: 18, time_to_first_token_ms: 310, finish_reason: 'tool_calls',
    input: prompt, output: [{ role: 'assistant', parts: [call] }],
    attributes: { 'gen_ai.request.temperature': 0.2, 'app.route': '/weather' },
  },
  {
    ...common, span_id: ids.tool, parent_span_id: ids.agent, name: 'get_weather', type: 'tool', tool_name: 'get_weather',
    start_time: at(950), end_time: at(1150), input: [{ role: 'assistant', parts: [call] }], output: [{ role: 'tool', parts: [result] }],
  },
  {
    ...common, span_id: ids.forecast, parent_span_id: ids.agent, name: 'lookup-forecast', type: 'tool', tool_name: 'get_forecast',
    start_time: at(960), end_time: at(1300), status: 'error', status_message: ERROR_MESSAGE, error_type: 'TimeoutError',
    events: [{ time: at(1299), name: 'exception', attributes: { 'exception.type': 'TimeoutError', 'exception.message': ERROR_MESSAGE, 'exception.stacktrace': 'TimeoutError: Forecast service timed out\n    at fetchForecast (forecast.ts:42:11)' } }],
  },
  {
    ...common, span_id: ids.answer, parent_span_id: ids.agent, name: 'answer-call', type: 'llm', operation_name: 'chat',
    start_time: at(1350), end_time: at(2350), model: 'gpt-4o-mini-2024-07-18', provider: 'openai',
    input_tokens: 160, output_tokens: 22, cost_usd: 0.0123, finish_reason: 'stop',
    input: [...prompt, { role: 'assistant', parts: [call] }, { role: 'tool', parts: [result] }],
    output: [{ role: 'assistant', parts: [{ type: 'text', content: ANSWER }] }],
  },
];

describe('trace detail', () => {
  let dashboard: Dashboard;
  let page: Page;
  const traceUrl = () => `/projects/${dashboard.collector.projectId}/traces/${traceId}`;
  const panel = () => page.getByRole('region', { name: 'Selected span' });
  const row = (name: string) => page.getByRole('treeitem').filter({ hasText: name });
  const selectedSpan = () => new URL(page.url()).searchParams.get('span');

  beforeAll(async () => {
    dashboard = await startDashboard();
    const post = (path: string, body: unknown) =>
      dashboard.collector.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ingest = await post('/api/v1/events/ingest', events);
    expect(await ingest.json()).toMatchObject({ accepted: events.length, rejected: [] });
    expect((await post('/api/v1/scores', { trace_id: traceId, name: 'helpfulness', value: 0.9, comment: 'Clear and correct' })).status).toBe(201);
    expect((await post('/api/v1/scores', { trace_id: traceId, span_id: ids.answer, name: 'correct', value: true })).status).toBe(201);
    await dashboard.collector.shipped();
    page = await dashboard.newPage();
    await dashboard.signIn(page);
  });
  afterAll(async () => dashboard?.close());

  it('shows the trace header and every span in the tree, the first LLM call selected', async () => {
    await page.goto(traceUrl());
    await expect.poll(() => page.getByRole('treeitem').count()).toBe(5);
    const header = page.locator('.trace-header');
    await expect.poll(() => header.textContent()).toContain('weather-agent');
    const facts = (await header.textContent())!;
    expect(facts).toContain('gpt-4o-mini-2024-07-18');
    expect(facts).toContain('320'); // 138 + 182 tokens
    expect(await header.getByRole('link', { name: 'user-browser-1' }).getAttribute('href')).toContain('user_id=user-browser-1');
    expect(await header.getByRole('link', { name: 'session-browser-1' }).getAttribute('href')).toBe(`/projects/${dashboard.collector.projectId}/sessions/session-browser-1`);
    // Tree order is start order under the agent, with depth.
    const names = await page.getByRole('treeitem').locator('.span-label').allTextContents();
    expect(names).toEqual(['weather-agent', 'plan-call', 'get_weather', 'lookup-forecast', 'answer-call']);
    expect(await row('plan-call').getAttribute('aria-level')).toBe('2');
    expect(await row('lookup-forecast').getAttribute('class')).toContain('error');
    expect(await row('plan-call').getAttribute('aria-selected')).toBe('true');
    expect(await panel().getByRole('heading', { level: 2 }).textContent()).toBe('plan-call');
  });

  it('reads the chat, tokens and cost of an LLM call', async () => {
    await row('answer-call').click();
    await expect.poll(selectedSpan).toBe(ids.answer);
    const text = () => panel().textContent();
    await expect.poll(text).toContain(ANSWER);
    const chat = (await text())!;
    expect(chat).toContain(QUESTION);
    expect(chat).toContain('You are a helpful weather assistant.');
    const toolCall = panel().locator('.chat-tool-call').first();
    expect(await toolCall.locator('.chat-tool-name').textContent()).toBe('get_weather');
    expect(await toolCall.textContent()).toContain('"unit": "celsius"');
    expect(await panel().locator('.chat-tool-result').first().textContent()).toContain('"temperature_c": 18');
    const metrics = (await panel().locator('.span-metrics').textContent())!;
    expect(metrics).toContain('160'); // input tokens
    expect(metrics).toContain('22'); // output tokens
    expect(metrics).toContain('$0.0123');
    expect(metrics).toContain('reported');
    await page.getByRole('tab', { name: /Scores/ }).click();
    await expect.poll(text).toContain('Clear and correct');
    expect(await panel().locator('.scores-table').first().textContent()).toContain('correct');
    await page.getByRole('tab', { name: /Chat/ }).click();
    await row('plan-call').click();
    await expect.poll(() => panel().locator('.span-metrics').textContent()).toContain('64 cached');
    expect(await panel().locator('.span-metrics').textContent()).toContain('310 ms'); // time to first token
    await screenshot(page, 'trace-detail');
  });

  it('shows a failing span with its message and stack, and the tool call of a tool span', async () => {
    await row('lookup-forecast').click();
    const alert = panel().getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain(ERROR_MESSAGE);
    expect(await alert.textContent()).toContain('TimeoutError');
    await alert.getByText('Stack trace').click();
    expect(await alert.locator('.span-stack').textContent()).toContain('forecast.ts:42:11');

    await row('get_weather').click();
    await expect.poll(() => panel().locator('.span-tool-name').textContent()).toContain('get_weather');
    expect(await panel().locator('.chat-tool-result').textContent()).toContain('sunny');
    await screenshot(page, 'trace-detail-tool');
  });

  it('reopens the span of a deep link and its tab', async () => {
    await page.goto(`${traceUrl()}?span=${ids.forecast}&tab=attributes`);
    await expect.poll(() => panel().getByRole('heading', { level: 2 }).textContent()).toBe('lookup-forecast');
    expect(await page.getByRole('tab', { name: /Attributes/ }).getAttribute('aria-selected')).toBe('true');
    await page.goto(`${traceUrl()}?span=${ids.plan}&tab=attributes`);
    await expect.poll(() => panel().textContent()).toContain('app.route');
    expect(await panel().textContent()).toContain('/weather');
  });

  it('moves the selection with the keyboard and collapses the tree', async () => {
    await page.goto(`${traceUrl()}?span=${ids.plan}`);
    const tree = page.getByRole('tree', { name: 'Spans' });
    await expect.poll(() => page.getByRole('treeitem').count()).toBe(5);
    await tree.focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedSpan).toBe(ids.tool);
    await page.keyboard.press('ArrowDown');
    await expect.poll(selectedSpan).toBe(ids.forecast);
    await page.keyboard.press('ArrowUp');
    await expect.poll(selectedSpan).toBe(ids.tool);
    await page.keyboard.press('ArrowLeft'); // a leaf: go to its parent
    await expect.poll(selectedSpan).toBe(ids.agent);
    await page.keyboard.press('ArrowLeft'); // collapse the agent
    await expect.poll(() => page.getByRole('treeitem').count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByRole('treeitem').count()).toBe(5);
    expect(await panel().getByRole('heading', { level: 2 }).textContent()).toBe('weather-agent');
  });

  it('opens a 1000-span agent trace and stays responsive to the keyboard', async () => {
    const bigTrace = hex(16);
    const rootId = hex(8);
    const spans = [{ trace_id: bigTrace, span_id: rootId, name: 'long-agent', type: 'agent', start_time: at(0), end_time: at(100_000) }];
    for (let i = 1; i < 1000; i++) {
      const type = i % 2 ? 'llm' : 'tool';
      spans.push({ trace_id: bigTrace, span_id: hex(8), parent_span_id: rootId, name: `step-${i}`, type, start_time: at(i * 100), end_time: at(i * 100 + 80) } as (typeof spans)[number]);
    }
    const response = await dashboard.collector.request('/api/v1/events/ingest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spans) });
    expect(((await response.json()) as { accepted: number }).accepted).toBe(1000);
    await dashboard.collector.shipped();
    await page.goto(`/projects/${dashboard.collector.projectId}/traces/${bigTrace}`);
    await expect.poll(() => page.getByRole('treeitem').count(), { timeout: 15_000 }).toBe(1000);
    expect(await panel().getByRole('heading', { level: 2 }).textContent()).toBe('step-1');
    await page.getByRole('tree', { name: 'Spans' }).focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => panel().getByRole('heading', { level: 2 }).textContent()).toBe('step-6');
    await page.keyboard.press('End');
    await expect.poll(() => panel().getByRole('heading', { level: 2 }).textContent()).toBe('step-999');
    expect(await row('step-999').isVisible()).toBe(true); // scrolled into view
  });

  it('says when a trace is not in this project', async () => {
    await page.goto(`/projects/${dashboard.collector.projectId}/traces/${hex(16)}`);
    await expect.poll(() => page.locator('main').textContent()).toContain('Trace not found in this project');
    expect(await page.getByRole('link', { name: /Back to traces/ }).getAttribute('href')).toBe(`/projects/${dashboard.collector.projectId}/traces`);
  });
});
