/** The dashboard's files at `/`, and its client-side routes answered with the app shell (deep links). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from '../testing/test-collector.ts';

describe('dashboard assets', () => {
  let collector: TestCollector;
  const uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'observa-ui-assets-'));

  beforeAll(async () => {
    fs.mkdirSync(path.join(uiDir, 'assets'));
    fs.writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><div id="app"></div>');
    fs.writeFileSync(path.join(uiDir, 'assets', 'app-Ab12_d34.js'), 'console.log("app")');
    fs.writeFileSync(path.join(uiDir, 'assets', 'app-Ab12_d34.js.gz'), gzipSync('console.log("app")'));
    fs.writeFileSync(path.join(uiDir, 'favicon.svg'), '<svg/>');
    collector = await startTestCollector({ env: { OBSERVA_UI_DIR: uiDir } });
  });
  afterAll(async () => {
    await collector?.close();
    fs.rmSync(uiDir, { recursive: true, force: true });
  });

  const get = (c: TestCollector, pathname: string, init?: RequestInit) => fetch(`${c.url}${pathname}`, init);

  it('serves hashed bundles compressed and cached for a year, other files revalidated', async () => {
    // fetch asks for gzip and decodes it; the header says which copy was sent.
    const res = await get(collector, '/assets/app-Ab12_d34.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('console.log("app")');

    const plain = await get(collector, '/assets/app-Ab12_d34.js', { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe('console.log("app")');

    const icon = await get(collector, '/favicon.svg');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers every view of the app with the shell, so a deep link opens it', async () => {
    for (const pathname of ['/', '/login', '/projects/4f1c/traces/0123456789abcdef0123456789abcdef?span=1', '/invitations/abc']) {
      const res = await get(collector, pathname);
      expect(res.status, pathname).toBe(200);
      expect(res.headers.get('content-type'), pathname).toMatch(/text\/html/);
      expect(await res.text(), pathname).toContain('<div id="app">');
    }
    expect((await get(collector, '/projects/x/traces')).headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing file with 404, not the shell', async () => {
    const res = await get(collector, '/assets/gone-999.js');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('<div id="app">');
  });

  it('keeps API paths out of the fallback', async () => {
    const api = await get(collector, '/api/v1/nothing-here');
    expect(api.status).toBe(404);
    expect(((await api.json()) as any).error.message).toBe('no route for GET /api/v1/nothing-here');
    expect((await get(collector, '/v1/nothing')).status).toBe(404);
    expect((await get(collector, '/projects/x/traces', { method: 'POST' })).status).toBe(404);
  });

  it('says how to build the dashboard when it is not built', async () => {
    fs.renameSync(path.join(uiDir, 'index.html'), path.join(uiDir, 'index.html.away'));
    try {
      const res = await get(collector, '/projects/x/traces');
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/dashboard is not built .*npm run build --workspace ui/);
    } finally {
      fs.renameSync(path.join(uiDir, 'index.html.away'), path.join(uiDir, 'index.html'));
    }
  });
});
