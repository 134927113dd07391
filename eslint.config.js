import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['dist/', 'node_modules/', 'coverage/', 'oclif.manifest.json', 'test-output/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['bin/alluxio', '**/*.mjs'],
    languageOptions: {globals: {process: 'readonly', console: 'readonly', setTimeout: 'readonly', URL: 'readonly'}},
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_'}],
    },
  },
);
