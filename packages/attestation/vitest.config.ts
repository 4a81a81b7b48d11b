import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'attestation',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
