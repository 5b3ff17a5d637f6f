/**
 * Browser tests: a real collector serving a fresh production build of the dashboard, driven in Debian's
 * Chromium through playwright-core. Screenshots go to `test-artifacts/screenshots/` (CI keeps them).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestCollector, type TestCollector, type TestCollectorOptions } from '../../collector/src/testing/test-collector.ts';

const UI_ROOT = new URL('..', import.meta.url).pathname;
export const SCREENSHOT_DIR = path.resolve(UI_ROOT, '../test-artifacts/screenshots');
export const CHROMIUM = process.env.OBSERVA_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Builds the dashboard from source into a temp dir, so the tests see this checkout's code. */
export async function buildDashboard(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-ui-'));
  await build({ root: UI_ROOT, configFile: path.join(UI_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set OBSERVA_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface Dashboard {
  collector: TestCollector;
  browser: Browser;
  /** A new page, 1280×800 (the smallest screen the layout is built for). */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Signs in as the bootstrap admin and waits for the app to show a project. */
  signIn(page: Page, credentials?: { email: string; password: string }): Promise<void>;
  url(pathname: string): string;
  close(): Promise<void>;
}

export async function startDashboard(options: TestCollectorOptions = {}): Promise<Dashboard> {
  const uiDir = await buildDashboard();
  const collector = await startTestCollector({ ...options, env: { OBSERVA_UI_DIR: uiDir, ...options.env } });
  const browser = await launchChromium();
  const pages: Page[] = [];
  return {
    collector,
    browser,
    async newPage(viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ viewport, baseURL: collector.url });
      const page = await context.newPage();
      // A page error is a bug the test should see, not a silent blank view.
      page.on('pageerror', (error) => console.error(`[browser] ${error.message}`));
      pages.push(page);
      return page;
    },
    async signIn(page, credentials = { email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) {
      await page.goto('/login');
      await page.getByLabel('E-mail').fill(credentials.email);
      await page.getByLabel('Password').fill(credentials.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/projects\/[^/]+\//);
    },
    url: (pathname) => `${collector.url}${pathname}`,
    async close() {
      await browser.close();
      await collector.close();
      fs.rmSync(uiDir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
