// Type-aware linting: the rules that catch real bugs in async IC code (floating promises)
// and keep imports honest under verbatimModuleSyntax.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.azle/**',
      '**/.state/**',
      'packages/registry-api/src/declarations/**',
      'frontend/**/*.svelte',
      'frontend/svelte.config.js',
      'cli/bin/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // The root config covers everything but the canister entry points, which import azle's
        // TypeScript sources and have their own config (see tsconfig.azle.json).
        project: ['./tsconfig.json', './tsconfig.azle.json', './frontend/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
);
