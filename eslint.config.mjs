import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The development tools live in tools/: they may import production code, never the reverse. */
const CLI_FILES = ['src/cli.ts', 'src/cli/**'];

const developmentToolImports = [
  {
    group: ['**/tools', '**/tools/**'],
    message:
      'Production code must not import the development tools (tools/: simulator, bench, local launcher, packaging).',
  },
];

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
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({
    ...config,
    files: ['src/**/*.ts'],
  })),
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Off by choice: handlers are passed as methods by design (botbuilder, teams-ai); `async`
      // without `await` turns a synchronous throw into a rejection; botbuilder's ActivityTypes
      // is a string enum compared with the activity's plain string `type`.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: CLI_FILES,
    rules: {
      'no-restricted-imports': ['error', { patterns: developmentToolImports }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Error']",
          message:
            'Throw a coded AppError from src/errors (add the code to src/errors/error-codes.ts).',
        },
        {
          selector: "CallExpression[callee.name='Error']",
          message:
            'Throw a coded AppError from src/errors (add the code to src/errors/error-codes.ts).',
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', ...CLI_FILES],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Only src/config reads process.env: take the value from the validated config.',
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'tools/bench/**/*.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
