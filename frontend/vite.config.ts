// Two pages, one build: the timeline at / (index.html) and GraphiQL at /graphiql (graphiql.html).
// The output is committed and embedded in the binary; it must be deterministic (no timestamps,
// content-hashed names), which `npm run check-dist` verifies.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// `npm run dev` / `npx vite preview`: the API comes from a running `chronik serve`.
const api = process.env.CHRONIK_API ?? 'http://127.0.0.1:8080';
const proxy = { '/graphql': { target: api, ws: true }, '/map/config': { target: api } };

export default defineConfig({
  server: { proxy },
  preview: { proxy },
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // Monaco (GraphiQL's editor) is large; the page only loads it at /graphiql.
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      // React libraries mark modules "use client"; that means nothing in a plain bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        graphiql: resolve(import.meta.dirname, 'graphiql.html'),
      },
    },
  },
  worker: { format: 'es' },
});
