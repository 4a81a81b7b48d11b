import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [svelte()],
  // Svelte's browser build (mount, effects), not its server renderer.
  resolve: { conditions: ['browser'] },
  test: {
    name: 'frontend',
    root: new URL('.', import.meta.url).pathname,
    include: ['src/**/*.test.ts', 'vite/**/*.test.ts', 'bench/**/*.test.ts'],
    environment: 'happy-dom',
    // Tests wait for real Ed25519 verification (see VERIFICATION_WAIT in test-support/render.ts);
    // on a loaded 2-core machine that outlasts vitest's 5 s default. Time is not what they test.
    testTimeout: 60_000,
  },
});
