import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, startDashboard, type Dashboard } from './browser-harness.ts';

/** Sends one canonical event with `key`; returns the HTTP status. */
async function ingestWith(dashboard: Dashboard, key: string): Promise<number> {
  const event = {
    trace_id: randomBytes(16).toString('hex'), span_id: randomBytes(8).toString('hex'), name: 'settings test', type: 'llm',
    start_time: new Date().toISOString(), model: 'gpt-4o-mini', input_tokens: 10, output_tokens: 4,
  };
  const response = await dashboard.collector.request('/api/v1/events/ingest', {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify([event]),
  });
  return response.status;
}

/** A write through the admin's browser session, as the dashboard does it (cookie + CSRF header). */
async function sessionPost(page: Page, path: string, data: unknown) {
  const csrf = (await page.context().cookies()).find((c) => c.name === 'observa_csrf')?.value ?? '';
  return page.request.post(path, { data, headers: { 'x-observa-csrf': decodeURIComponent(csrf) } });
}

describe('settings', () => {
  let dashboard: Dashboard;
  let admin: Page;
  let settings: (section: string) => string;

  beforeAll(async () => {
    dashboard = await startDashboard();
    admin = await dashboard.newPage();
    admin.setDefaultTimeout(10_000); // a missing element fails with its locator, before the test times out
    await dashboard.signIn(admin);
    settings = (section) => `/projects/${dashboard.collector.projectId}/settings/${section}`;
  });
  afterAll(async () => dashboard?.close());

  it('creates a key shown once that ingests, and revokes it so the same call is refused', async () => {
    await admin.goto(settings('keys'));
    await admin.getByRole('table', { name: 'API keys' }).getByRole('row').nth(1).waitFor();
    await screenshot(admin, 'settings-keys');

    await admin.getByLabel('Key name').fill('browser test key');
    await admin.getByRole('button', { name: 'Create key' }).click();
    const key = (await admin.getByTestId('new-api-key').textContent())!;
    expect(key).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The snippets carry the key and this dashboard's origin.
    await expect.poll(() => admin.locator('.setup-snippets pre').first().textContent()).toContain(`OBSERVA_API_KEY='${key}'`);
    expect(await admin.locator('.setup-snippets pre').first().textContent()).toContain(`OBSERVA_ENDPOINT='${dashboard.collector.url}'`);
    await screenshot(admin, 'settings-key-created');
    expect(await ingestWith(dashboard, key)).toBe(200);
    // The Langfuse tab's keys, as a Langfuse SDK sends them (Basic public:secret), are accepted as they are shown.
    await admin.getByRole('tab', { name: 'Langfuse SDK' }).click();
    const langfuse = (await admin.locator('.setup-snippets pre').first().textContent())!;
    const variable = (name: string) => new RegExp(`^export ${name}='([^']*)'$`, 'm').exec(langfuse)![1];
    expect(variable('LANGFUSE_BASE_URL')).toBe(dashboard.collector.url);
    const basic = Buffer.from(`${variable('LANGFUSE_PUBLIC_KEY')}:${variable('LANGFUSE_SECRET_KEY')}`).toString('base64');
    const viaLangfuse = await fetch(`${variable('LANGFUSE_BASE_URL')}/api/public/otel/v1/traces`, {
      method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' }, body: '{"resourceSpans":[]}',
    });
    expect(viaLangfuse.status).toBe(200);

    await admin.getByRole('button', { name: 'I have saved the key' }).click();
    await expect.poll(() => admin.getByTestId('new-api-key').count()).toBe(0);
    const row = admin.getByRole('row', { name: /browser test key/ });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => row.textContent()).toMatch(/revoked/);
    expect(await ingestWith(dashboard, key)).toBe(401);
  });

  it('invites a member who creates an account from the link, lands signed in, and gets a new role', async () => {
    await admin.goto(settings('members'));
    await admin.getByRole('table', { name: 'Members' }).getByRole('row').nth(1).waitFor();
    await admin.getByLabel('E-mail').fill('newcomer@example.com');
    await admin.getByRole('form', { name: 'Invite a member' }).getByRole('combobox').selectOption('member');
    await admin.getByRole('button', { name: 'Create invitation' }).click();
    const link = (await admin.getByTestId('invitation-link').textContent())!;
    expect(link).toMatch(new RegExp(`^${dashboard.collector.url}/invitations/[\\w-]{43}$`));
    await admin.getByRole('table', { name: 'Pending invitations' }).getByRole('row', { name: /newcomer@example.com/ }).waitFor();
    await screenshot(admin, 'settings-members');

    const invitee = await dashboard.newPage(); // a fresh browser context: signed out
    invitee.setDefaultTimeout(10_000);
    await invitee.goto(link);
    await invitee.getByText('You are invited to join').waitFor();
    await invitee.getByLabel('Your name').fill('New Comer');
    await invitee.getByLabel(/Password/).fill('a long enough password');
    await invitee.getByRole('button', { name: 'Create account and join' }).click();
    await invitee.waitForURL(new RegExp(`/projects/${dashboard.collector.projectId}/`));
    const me = await (await invitee.request.get('/api/v1/auth/me')).json();
    expect(me.user.email).toBe('newcomer@example.com');
    expect(me.tenants[0]).toMatchObject({ id: dashboard.collector.tenantId, role: 'member' });
    // A used link is gone, and the page says so.
    await invitee.goto(link);
    await invitee.getByText('This invitation link no longer works').waitFor();

    await admin.reload();
    await admin.getByLabel('Role of newcomer@example.com').selectOption('viewer');
    await expect
      .poll(async () => (await (await admin.request.get(`/api/v1/tenants/${dashboard.collector.tenantId}/members`)).json()).data.find((m: { email: string }) => m.email === 'newcomer@example.com')?.role)
      .toBe('viewer');
    // A viewer gets a note, not buttons that fail.
    await invitee.goto(settings('keys'));
    await invitee.getByText('Only owners and admins can see and manage API keys').waitFor();
    expect(await invitee.getByRole('button', { name: 'Create key' }).count()).toBe(0);
  });

  it('keeps a changed retention across a reload', async () => {
    await admin.goto(settings('retention'));
    const days = admin.getByLabel('Keep traces for (days)');
    await days.fill('45');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.getByText('Saved. The next sweep applies it.').waitFor();
    await admin.reload();
    await expect.poll(() => admin.getByLabel('Keep traces for (days)').inputValue()).toBe('45');
  });

  it('adds a model price override and lists it after a reload; searches the built-in table through the URL', async () => {
    await admin.goto(settings('prices'));
    await admin.getByRole('button', { name: 'Add override' }).click();
    await admin.getByLabel('Model', { exact: true }).fill('my-finetune');
    await admin.getByLabel('Input price').fill('1.5');
    await admin.getByLabel('Output price').fill('6');
    await admin.getByRole('button', { name: 'Save overrides' }).click();
    await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await admin.reload();
    await expect.poll(() => admin.getByLabel('Model', { exact: true }).inputValue()).toBe('my-finetune');
    expect(await admin.getByLabel('Output price').inputValue()).toBe('6');

    await admin.getByLabel('Search built-in prices').fill('claude');
    await expect.poll(() => new URL(admin.url()).searchParams.get('price')).toBe('claude');
    const models = await admin.getByRole('table', { name: 'Built-in prices' }).locator('tbody tr').allTextContents();
    expect(models.length).toBeGreaterThan(0);
    expect(models.every((text) => /claude|anthropic/i.test(text))).toBe(true);
  });

  it('shows the key creation and the invitation in the audit log, filtered through the URL', async () => {
    await admin.goto(settings('audit'));
    const table = admin.getByRole('table', { name: 'Audit log' });
    await table.getByRole('row', { name: /api_key\.create/ }).first().waitFor();
    await table.getByRole('row', { name: /member\.invite/ }).first().waitFor();
    await screenshot(admin, 'settings-audit');

    await admin.getByLabel('Action').fill('api_key.*');
    await admin.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => new URL(admin.url()).searchParams.get('action')).toBe('api_key.*');
    await expect.poll(async () => (await table.locator('tbody tr td:nth-child(3)').allTextContents()).join(' ')).toMatch(/^api_key\.\w+( api_key\.\w+)*$/);
    // Enter on a focused row expands its details (keyboard navigation through DataTable).
    await table.locator('tbody tr').first().focus();
    await admin.keyboard.press('Enter');
    await expect.poll(() => table.locator('.audit-details').count()).toBe(1);
    expect(new URL(admin.url()).searchParams.get('entry')).toMatch(/^\d+$/);
    // The nav link opens the unfiltered log: the fields say so too, not the filter typed before.
    await admin.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Audit log' }).click();
    await expect.poll(() => new URL(admin.url()).searchParams.get('action')).toBeNull();
    await expect.poll(() => admin.getByLabel('Action').inputValue()).toBe('');
  });

  it('counts the ingested events in this month\'s usage', async () => {
    await admin.goto(settings('usage'));
    await expect.poll(async () => Number((await admin.getByTestId('usage-events').textContent())?.replace(/\D/g, '') || 0)).toBeGreaterThan(0);
  });

  it('shows an empty project how to send its first trace, with a fresh ingest key that works', async () => {
    const created = await sessionPost(admin, `/api/v1/tenants/${dashboard.collector.tenantId}/projects`, { name: 'Empty project' });
    expect(created.status()).toBe(201);
    const project = await created.json();
    await admin.goto(`/projects/${project.id}/traces`);
    await admin.getByRole('heading', { name: 'Send your first trace' }).waitFor();
    await admin.getByRole('button', { name: 'Create an ingest key' }).click();
    const key = (await admin.getByTestId('new-api-key').textContent())!;
    await expect.poll(() => admin.locator('.setup-snippets pre').first().textContent()).toContain(key);
    await screenshot(admin, 'onboarding');
    expect(await ingestWith(dashboard, key)).toBe(200);
  });
});
