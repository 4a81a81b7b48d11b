import { defineConfig } from 'vitest/config';

// Integration tests against the real canister wasm on ONE local network, started by the global
// setup (see README.md for what it provides and how to add tests).
export default defineConfig({
  test: {
    name: 'integration',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'canisters/**'],
    globalSetup: ['./global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
