// The repository lints itself: typescript-eslint's recommended rules everywhere, and Picco's
// own plugin (from its built dist/) on the code that uses Picco.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    name: 'picco/ignores',
    // Fixtures are inputs of the plugin's tests (some are wrong on purpose); they are linted there.
    ignores: ['**/dist/**', '**/node_modules/**', '.tmp/**', 'fixtures/**', 'coverage/**'],
  },
  ...tseslint.configs.recommended,
  {
    name: 'picco/typescript',
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    name: 'picco/tests',
    files: ['**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    name: 'picco/type-tests',
    // Type tests declare values only to take their types.
    files: ['**/*.test-d.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
);
