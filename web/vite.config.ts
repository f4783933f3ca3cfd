import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

declare const process: { env: Record<string, string | undefined> };

// The dev server proxies the API to a running `telcrm serve` (TELCRM_URL, default
// http://127.0.0.1:8080); `vite build` writes dist/ with hashed names under dist/assets/.
const target = process.env.TELCRM_URL || 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [preact()],
  server: {
    proxy: {
      '/api': { target, changeOrigin: false },
      '/tmf-api': { target, changeOrigin: false },
    },
  },
  build: {
    target: 'es2020',
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
