import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineProject } from 'vitest/config';

export default defineProject({
  plugins: [svelte()],
  // Svelte's browser build (mount, effects), not its server renderer.
  resolve: { conditions: ['browser'] },
  test: {
    name: 'frontend',
    root: new URL('.', import.meta.url).pathname,
    include: ['src/**/*.test.ts'],
    environment: 'happy-dom',
  },
});
