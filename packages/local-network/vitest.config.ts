import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'local-network',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
