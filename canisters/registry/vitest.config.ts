import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'registry',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The wasm tests execute hundreds of signature checks in the interpreter.
    testTimeout: 120_000,
    // Installing the real wasm and reading governance in beforeAll takes longer than vitest's
    // 10 s default on a loaded 2-core machine (every update now also schedules certification).
    hookTimeout: 120_000,
  },
});
