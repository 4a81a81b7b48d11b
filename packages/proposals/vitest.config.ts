import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'proposals',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
