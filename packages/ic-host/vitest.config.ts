import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'ic-host',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
