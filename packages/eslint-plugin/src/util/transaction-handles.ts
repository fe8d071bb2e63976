/**
 * Which library a database handle belongs to, for `no-transaction-escape`: by the package that
 * declares its type (with type information), or by the import its construction comes from
 * (without). Never by variable names.
 */
import { parseSqlitePath } from '@picco/core';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { objectProperty, staticString } from './ast.js';
import type { Resolvers } from './resolvers.js';

/**
 * - `knex`, `kysely`: async query builders whose transactions hold a connection of their own.
 * - `drizzle-async`: Drizzle on an async driver whose transaction holds a connection of its own
 *   (`drizzle-orm/libsql` on @libsql/client, `drizzle-orm/node-postgres` on pg's pool).
 * - `drizzle-sync`: Drizzle on better-sqlite3, whose transactions are synchronous.
 * - `picco`: Picco's `SQLiteEngine`.
 */
export type HandleLibrary = 'knex' | 'kysely' | 'drizzle-async' | 'drizzle-sync' | 'picco';

/** Drizzle's database classes on async drivers whose transactions take a connection of their own. */
const DRIZZLE_ASYNC_DATABASES: ReadonlySet<string> = new Set(['LibSQLDatabase', 'NodePgDatabase']);
/** The modules whose `drizzle(...)` makes one of them. */
const DRIZZLE_ASYNC_MODULES: ReadonlySet<string> = new Set([
  'drizzle-orm/libsql',
  'drizzle-orm/libsql/node',
  'drizzle-orm/libsql/sqlite3',
  'drizzle-orm/libsql/http',
  'drizzle-orm/libsql/ws',
  'drizzle-orm/libsql/web',
  'drizzle-orm/libsql/wasm',
  'drizzle-orm/node-postgres',
]);

/** The library of a handle, or `undefined` when it is not proven to be one of them. */
export function handleLibrary(handle: TSESTree.Node, resolvers: Resolvers): HandleLibrary | undefined {
  const types = resolvers.types;
  if (types !== undefined) {
    for (const declared of types.declaredTypesOf(handle)) {
      const library = libraryOfType(declared.packageName, declared.typeName);
      if (library !== undefined) return library;
    }
    return undefined;
  }
  const scope = resolvers.scope;
  const construction = scope.resolveConst(handle);
  if (construction.type !== AST_NODE_TYPES.CallExpression && construction.type !== AST_NODE_TYPES.NewExpression) return undefined;
  const binding = scope.importedBinding(construction.callee);
  if (binding === undefined) return undefined;
  const isNew = construction.type === AST_NODE_TYPES.NewExpression;
  if (binding.source === 'knex' && !isNew && (binding.imported === 'default' || binding.imported === 'knex' || binding.imported === '*')) return 'knex';
  if (binding.source === 'kysely' && isNew && binding.imported === 'Kysely') return 'kysely';
  if (binding.source === 'drizzle-orm/better-sqlite3' && !isNew && binding.imported === 'drizzle') return 'drizzle-sync';
  if (DRIZZLE_ASYNC_MODULES.has(binding.source) && !isNew && binding.imported === 'drizzle') return 'drizzle-async';
  if (binding.source.startsWith('@picco/') && isNew && binding.imported === 'SQLiteEngine') return 'picco';
  return undefined;
}

function libraryOfType(packageName: string | undefined, typeName: string): HandleLibrary | undefined {
  switch (packageName) {
    case 'knex':
      return 'knex';
    case 'kysely':
      return typeName === 'Kysely' || typeName === 'Transaction' ? 'kysely' : undefined;
    case 'drizzle-orm':
      if (typeName === 'BetterSQLite3Database') return 'drizzle-sync';
      return DRIZZLE_ASYNC_DATABASES.has(typeName) ? 'drizzle-async' : undefined;
    default:
      return packageName?.startsWith('@picco/') === true && typeName === 'SQLiteEngine' ? 'picco' : undefined;
  }
}

/** Where a Picco engine is constructed, and whether its async queries run on a worker pool. */
export interface PiccoEngineSite {
  readonly fileName: string;
  /** 1-based. */
  readonly line: number;
  /**
   * A file database with worker processes (`workers` left out or above 0): an async transaction
   * then runs on a worker, and a synchronous query cannot join it. `undefined`: unknown.
   */
  readonly pooled: boolean | undefined;
}

/** The `new SQLiteEngine({ path, workers })` a handle is bound to by a `const`, in whichever file. */
export function piccoEngineSite(handle: TSESTree.Node, resolvers: Resolvers, fileName: string): PiccoEngineSite | undefined {
  const types = resolvers.types;
  if (types === undefined) {
    const construction = resolvers.scope.resolveConst(handle);
    if (construction.type !== AST_NODE_TYPES.NewExpression) return undefined;
    const options = construction.arguments[0];
    const path = objectProperty(options, 'path');
    const workers = objectProperty(options, 'workers');
    const pathValue = path === undefined ? undefined : staticString(path);
    const workersValue = workers === undefined ? 'default' : workers.type === AST_NODE_TYPES.Literal && typeof workers.value === 'number' ? workers.value : undefined;
    return { fileName, line: construction.loc.start.line, pooled: isPooled(pathValue, workersValue) };
  }
  const construction = types.constInitializerOf(handle);
  if (construction === undefined || construction.kind !== types.syntaxKind.NewExpression) return undefined;
  const sourceFile = construction.getSourceFile();
  const options = (construction as ts.NewExpression).arguments?.[0];
  const path = options === undefined ? undefined : types.objectPropertyOf(options, 'path');
  const workers = options === undefined ? undefined : types.objectPropertyOf(options, 'workers');
  const pathValue = path !== undefined && (path.kind === types.syntaxKind.StringLiteral || path.kind === types.syntaxKind.NoSubstitutionTemplateLiteral) ? (path as ts.StringLiteral).text : undefined;
  const workersValue = workers === undefined ? 'default' : workers.kind === types.syntaxKind.NumericLiteral ? Number((workers as ts.NumericLiteral).text) : undefined;
  return {
    fileName: sourceFile.fileName,
    line: sourceFile.getLineAndCharacterOfPosition(construction.getStart(sourceFile)).line + 1,
    pooled: isPooled(pathValue, workersValue),
  };
}

function isPooled(path: string | undefined, workers: number | 'default' | undefined): boolean | undefined {
  if (path === undefined || workers === undefined) return undefined;
  return parseSqlitePath(path).kind === 'file' && (workers === 'default' || workers > 0);
}
