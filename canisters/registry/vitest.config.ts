import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'registry',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The wasm tests execute hundreds of signature checks in the interpreter.
    testTimeout: 120_000,
  },
});
