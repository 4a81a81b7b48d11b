import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'certification',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
