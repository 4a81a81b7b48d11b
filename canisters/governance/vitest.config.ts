import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'governance',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
