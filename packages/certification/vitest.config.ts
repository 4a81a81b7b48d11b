import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'certification',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // CPU-bound (hashing every path of large stored trees): 5 s was too short on a loaded
    // 2-core machine (stored/tree.test.ts timed out there and passed alone).
    testTimeout: 60_000,
  },
});
