import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'cli',
    // Several tests do seconds of real work (Ed25519 over every vector, seeded random inputs,
    // GNU tar and zstd): on a loaded 2-core machine vitest's 5 s default failed them though
    // nothing was wrong. Time is not what they test; speed lives in benchmarks.
    testTimeout: 60_000,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
