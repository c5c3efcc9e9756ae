import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.deployment/',
      'node_modules/',
      '.data/',
      'bin/',
      'devTools/',
      'appPackage/build/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/bench/**/*.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
