/**
 * `@picco/eslint-plugin`: rules that catch Picco's and SQLite's pitfalls in the editor and fix
 * them in CI. A flat-config plugin object, default-exported.
 */
import { createRequire } from 'node:module';
import type { TSESLint } from '@typescript-eslint/utils';
import noAsyncPrivateMemory from './rules/no-async-private-memory.js';
import noLibsqlMemoryTransaction from './rules/no-libsql-memory-transaction.js';
import noMisleadingSqlitePath from './rules/no-misleading-sqlite-path.js';
import noPooledMemoryDatabase from './rules/no-pooled-memory-database.js';
import noSyncOnAsyncOnlyEngine from './rules/no-sync-on-async-only-engine.js';
import noTransactionEscape from './rules/no-transaction-escape.js';
import noUnexecutedQuery from './rules/no-unexecuted-query.js';
import { TYPE_INFORMATION_SETTING } from './util/resolvers.js';

const { name, version } = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

const rules = {
  'no-async-private-memory': noAsyncPrivateMemory,
  'no-libsql-memory-transaction': noLibsqlMemoryTransaction,
  'no-misleading-sqlite-path': noMisleadingSqlitePath,
  'no-pooled-memory-database': noPooledMemoryDatabase,
  'no-sync-on-async-only-engine': noSyncOnAsyncOnlyEngine,
  'no-transaction-escape': noTransactionEscape,
  'no-unexecuted-query': noUnexecutedQuery,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

type RuleName = keyof typeof rules;

const recommendedRules: Record<`@picco/${RuleName}`, 'error'> = {
  '@picco/no-async-private-memory': 'error',
  '@picco/no-libsql-memory-transaction': 'error',
  '@picco/no-misleading-sqlite-path': 'error',
  '@picco/no-pooled-memory-database': 'error',
  '@picco/no-sync-on-async-only-engine': 'error',
  '@picco/no-transaction-escape': 'error',
  '@picco/no-unexecuted-query': 'error',
};

export interface PiccoPlugin {
  readonly meta: { readonly name: string; readonly version: string; readonly namespace: string };
  readonly rules: typeof rules;
  readonly configs: {
    /** Every rule; no type information needed (the rules then see within each file). */
    readonly recommended: TSESLint.FlatConfig.Config;
    /**
     * The same rules, for projects linted with type information (`parserOptions.projectService`):
     * they then follow engines across files, re-exports and barrels. It also says that types are
     * expected: a file linted without them gets the rules' within-file behaviour and one note on
     * stderr (once per process), instead of silently finding less.
     */
    readonly 'recommended-type-checked': TSESLint.FlatConfig.Config;
  };
}

const plugin: PiccoPlugin = {
  meta: { name, version, namespace: '@picco' },
  rules,
  configs: {} as PiccoPlugin['configs'],
};

Object.assign(plugin.configs, {
  recommended: { name: '@picco/recommended', plugins: { '@picco': plugin }, rules: recommendedRules },
  'recommended-type-checked': {
    name: '@picco/recommended-type-checked',
    plugins: { '@picco': plugin },
    rules: recommendedRules,
    settings: TYPE_INFORMATION_SETTING,
  },
});

export default plugin;
