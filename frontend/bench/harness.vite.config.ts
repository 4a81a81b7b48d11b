import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vite';

// Builds bench/harness (verification alone) the way the app is built.
export default defineConfig({
  root: fileURLToPath(new URL('./harness', import.meta.url)),
  build: { target: 'es2022', emptyOutDir: true },
  worker: { format: 'es' },
  logLevel: 'warn',
});
