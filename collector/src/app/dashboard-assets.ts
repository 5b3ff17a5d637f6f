/**
 * The dashboard's built assets at `/`. Its views are client-side routes (`/projects/:id/traces/...`), so a
 * GET for a page that is not a file answers `index.html` and the app opens that view: every view's URL
 * works as a deep link and on reload. API paths never reach this (they end in a JSON 404 before it).
 * Vite names the bundles under `assets/` by content hash, so they are cached for a year; the build also
 * writes a gzip copy of each (ui/vite.config.ts), served to clients that accept it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Koa from 'koa';
import serve from 'koa-static';

const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[\w-]{8,}\.\w+(\.gz)?$/;

export function dashboardAssets(uiDir: string): Koa.Middleware {
  const files = serve(uiDir, {
    index: 'index.html',
    gzip: true,
    setHeaders: (res, file) => res.setHeader('cache-control', HASHED_ASSET.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const indexFile = path.join(uiDir, 'index.html');
  return async (ctx, next) => {
    await files(ctx, next);
    if (ctx.body !== undefined && ctx.body !== null) return;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return;
    // A missing asset (a path with an extension) is a real 404, not the app.
    if (path.extname(ctx.path) !== '') return;
    if (!fs.existsSync(indexFile)) {
      ctx.status = 404;
      ctx.type = 'text/plain';
      ctx.body = `The dashboard is not built in ${uiDir}. Run \`npm run build --workspace ui\` (npm start does it).`;
      return;
    }
    ctx.type = 'html';
    // The shell must not be cached: it names the current hashed bundles.
    ctx.set('cache-control', 'no-cache');
    ctx.body = fs.createReadStream(indexFile);
  };
}
