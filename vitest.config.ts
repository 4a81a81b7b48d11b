import { defineConfig } from 'vitest/config';

// One `vitest run` at the root runs every workspace's tests: unit tests beside the code in
// each package, integration tests in test/ (which start the local network once).
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'canisters/*/vitest.config.ts',
      'examples/*/vitest.config.ts',
      '{cli,frontend,test}/vitest.config.ts',
    ],
  },
});
