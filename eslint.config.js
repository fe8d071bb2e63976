// The repository lints itself: typescript-eslint's recommended rules everywhere, and Picco's
// own plugin (from its built dist/) on the code that uses Picco.
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import tseslint from 'typescript-eslint';
import picco from '@picco/eslint-plugin';

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
  {
    name: 'picco/type-information',
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Picco's own pitfalls, wherever Picco is used in this repository. Type tests (`*.test-d.ts`)
    // build queries only for the type checker to look at; the plugin's tests hold bad code in strings.
    ...picco.configs['recommended-type-checked'],
    files: ['**/*.ts'],
    ignores: ['**/*.test-d.ts', 'packages/eslint-plugin/test/**'],
  },
  {
    // The plugin's rules, linted as ESLint rules.
    ...eslintPlugin.configs.rules,
    name: 'picco/eslint-plugin-rules',
    files: ['packages/eslint-plugin/src/**/*.ts'],
  },
  {
    name: 'picco/eslint-plugin-rules-overrides',
    files: ['packages/eslint-plugin/src/**/*.ts'],
    rules: {
      'eslint-plugin/require-meta-docs-url': 'off', // set by RuleCreator from core's DOCS_BASE_URL
      // typescript-eslint's style: "Disallow ...", capitalised.
      'eslint-plugin/require-meta-docs-description': ['error', { pattern: '^(Enforce|Require|Disallow) ' }],
      // @typescript-eslint/utils 8.72's RuleMetaData has no `languages` field yet.
      'eslint-plugin/require-meta-languages': 'off',
    },
  },
  {
    ...eslintPlugin.configs.tests,
    name: 'picco/eslint-plugin-tests',
    files: ['packages/eslint-plugin/test/**/*.ts'],
  },
);
