import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startDashboard, type Dashboard } from './browser-harness.ts';

describe('signing in', () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await startDashboard();
  });
  afterAll(async () => dashboard?.close());

  it('sends a signed-out visitor to the login page and back to the address they asked for', async () => {
    const page = await dashboard.newPage();
    const wanted = `/projects/${dashboard.collector.projectId}/metrics`;
    await page.goto(wanted);
    await page.waitForURL(/\/login\?next=/);
    await screenshot(page, 'login');
    await page.getByLabel('E-mail').fill('admin@test.local');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/invalid|incorrect|password/i);
    await dashboard.signIn(page);
    await page.goto(wanted);
    expect(new URL(page.url()).pathname).toBe(wanted);
    // The deep link opens that view itself, not the home redirect.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Metrics');
  });

  it('opens the last project on / and signs out', async () => {
    const page = await dashboard.newPage();
    await dashboard.signIn(page);
    await page.goto('/');
    await page.waitForURL(new RegExp(`/projects/${dashboard.collector.projectId}/traces`));
    await expect.poll(() => page.getByRole('combobox', { name: 'Project' }).inputValue()).toBe(dashboard.collector.projectId);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    const me = await page.request.get('/api/v1/auth/me');
    expect(me.status()).toBe(401);
  });
});
