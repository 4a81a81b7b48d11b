import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'transparency-log',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
