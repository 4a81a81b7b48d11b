import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'frontend-canister',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
