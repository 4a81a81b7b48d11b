import { fileURLToPath } from 'node:url';

import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, loadEnv } from 'vite';

const frontendRoot = fileURLToPath(new URL('.', import.meta.url));
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

// The deploy step writes CANISTER_ID_REGISTRY into the project's .env (dfx's convention);
// `npm run dev` proxies the IC HTTP interface so the page can use its own origin as the host.
export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, projectRoot, ['CANISTER_ID_', 'IC_', 'DFX_']);
  const network = process.env['IC_HOST'] ?? env['IC_HOST'] ?? 'http://127.0.0.1:4943';
  const proxy = { '/api': { target: network, changeOrigin: true } };
  return {
    root: frontendRoot,
    envDir: projectRoot,
    envPrefix: ['VITE_', 'CANISTER_ID_'],
    plugins: [svelte()],
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2022',
      // One hashed file per chunk; the assets canister serves them with long cache lifetimes.
      assetsInlineLimit: 0,
    },
    worker: { format: 'es' },
    server: { proxy },
    preview: { proxy },
  };
});
