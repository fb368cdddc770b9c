// The dashboard's build: `npm run build` (config/build-if-stale.cjs) writes dist/dashboard, which the service
// serves at /. `npm run dashboard:dev` serves it with hot reload and sends API calls to a service on :3000.
import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: here('public'),
  build: {
    outDir: here('../../dist/dashboard'),
    emptyOutDir: true,
    target: 'es2022',
    // Every browser that runs ES2022 preloads modules itself: no polyfill in the first page's script.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      // react-router marks its modules "use client" for server components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: Object.fromEntries(
      ['/v1', '/docs', '/health', '/sandbox'].map((path) => [path, 'http://127.0.0.1:3000']),
    ),
  },
});
