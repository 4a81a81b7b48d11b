import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'example-consumer', include: ['src/**/*.test.ts'] },
});
