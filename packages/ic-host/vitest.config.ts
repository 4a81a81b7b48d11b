import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'ic-host',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Builds the azle test canisters that are missing or stale (about 3 s each).
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
