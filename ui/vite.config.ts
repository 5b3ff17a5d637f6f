import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** A gzip copy beside each text asset, so the collector serves it compressed without compressing per request. */
function gzipCopies(): Plugin {
  return {
    name: 'observa-gzip-copies',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css|svg)$/.test(file.fileName)) continue;
        const source = file.type === 'chunk' ? file.code : file.source;
        this.emitFile({ type: 'asset', fileName: `${file.fileName}.gz`, source: gzipSync(source, { level: 9 }) });
      }
    },
  };
}

// JSX compiles to Preact's automatic runtime (Vite's built-in transform; no Babel preset needed).
// `npm run dev --workspace ui` proxies the API to a collector on 4318.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [gzipCopies()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': 'http://localhost:4318', '/healthz': 'http://localhost:4318' } },
});
