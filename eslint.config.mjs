// ESLint flat config: typescript-eslint's type-aware rules (floating promises, unsafe any) on all
// TypeScript, and the house line length. `npm run lint`; CI runs it before the tests.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The house writes long lines; this only stops the outliers. Strings and templates may run on. */
const MAX_LINE = { code: 200, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true };

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'coverage/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // @types/jest types expect.any(), expect.stringMatching() & co. as `any`; every other unsafe rule stays on.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // `async () => value` is how a test stands in for an async function.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['auth-server/public/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { document: 'readonly', navigator: 'readonly', window: 'readonly' } },
  },
  {
    files: ['jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { Buffer: 'readonly', process: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly' } },
  },
  { rules: { 'max-len': ['error', MAX_LINE] } },
);
