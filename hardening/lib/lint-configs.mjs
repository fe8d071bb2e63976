/**
 * The flat configs the hardening scripts lint with. Built here once so the benchmark, the
 * corpus run and the property checks all exercise the plugin exactly as users configure it.
 */
import { createRequire } from 'node:module';
import picco from '@picco/eslint-plugin';
import tseslint from 'typescript-eslint';

export const PICCO_RULES = Object.keys(picco.rules).map((name) => `@picco/${name}`);
export const TS_RULES = ['@typescript-eslint/no-floating-promises', '@typescript-eslint/await-thenable'];

/** TypeScript files parsed by typescript-eslint, with a program from the project service when `typed`. */
function typescriptParser(root, typed) {
  return {
    name: 'hardening/typescript-parser',
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: typed ? { projectService: true, tsconfigRootDir: root } : {},
    },
  };
}

/**
 * The plugin's `recommended-type-checked` plus typescript-eslint's `no-floating-promises` and
 * `await-thenable`. `order` decides which rules run first on each node: the first rule that asks
 * the checker about a file pays TypeScript's lazy type resolution, so the benchmark measures both.
 */
export function typedBenchConfig(root, order = 'typescript-eslint-first') {
  const typescriptRules = {
    name: 'hardening/typescript-eslint-promise-rules',
    files: ['**/*.ts'],
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: Object.fromEntries(TS_RULES.map((rule) => [rule, 'error'])),
  };
  const piccoRules = picco.configs['recommended-type-checked'];
  const rules = order === 'picco-first' ? [piccoRules, typescriptRules] : [typescriptRules, piccoRules];
  return [typescriptParser(root, true), ...rules];
}

/** The plugin's configs alone: `recommended-type-checked` with a program, `recommended` without. */
export function piccoConfig(root, typed) {
  return [typescriptParser(root, typed), typed ? picco.configs['recommended-type-checked'] : picco.configs.recommended];
}

/** ESLint's own parser, as plain JavaScript projects use it (resolved from eslint, which ships it). */
export function loadEspree() {
  const requireFromEslint = createRequire(createRequire(import.meta.url).resolve('eslint'));
  return requireFromEslint('espree');
}

export { picco, tseslint };
