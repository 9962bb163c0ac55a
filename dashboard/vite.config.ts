// The dashboard's build: dashboard/ to dist/dashboard-app/, served by Baton at `/`
// (src/dashboard/). Hashed file names under assets/ let Baton cache them for a
// year; index.html is revalidated on every load.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard-app', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // No inline <script> or data: URLs: the Content-Security-Policy allows scripts from 'self' only.
    assetsInlineLimit: 0,
    sourcemap: true,
    // ECharts is one chunk of its own, loaded by the pages that chart.
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npm run dev:dashboard`: Vite's dev server in front of a Baton on :8080.
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:8080', ws: true },
      '/dashboard-config.json': 'http://127.0.0.1:8080',
    },
  },
});
