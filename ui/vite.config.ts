import { defineConfig } from 'vite';

// JSX compiles to Preact's automatic runtime (Vite's built-in transform; no Babel preset needed).
// `npm run dev --workspace ui` proxies the API to a collector on 4318.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: { '/api': 'http://localhost:4318', '/healthz': 'http://localhost:4318' } },
});
