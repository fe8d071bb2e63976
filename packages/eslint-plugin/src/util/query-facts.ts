/** What the rules learn about one query expression, by types or by scope analysis. */
import * as nodePath from 'node:path';
import { QUERY_CHAIN_METHODS, TABLE_QUERY_METHODS } from '@picco/core';
import type { PathValues } from './sqlite-paths.js';

/** One literal that the engine's path can be. */
export interface PathLiteral {
  readonly value: string;
  /** Where it is written, when that is in the linted file (so a fix may rewrite it). */
  readonly fix: { readonly range: readonly [number, number]; readonly quote: string } | undefined;
}

/**
 * Whether the engine refuses synchronous calls (`.runSync()`, `transactionSync()`) with
 * `SYNC_UNSUPPORTED` (PostgreSQL has no synchronous driver): `'always'` when every engine the
 * expression may have does, `'maybe'` when some do, `'never'` when none does or it is unknown.
 */
export type SyncRefusal = 'always' | 'maybe' | 'never';

/** Where a query's engine is constructed (`new SQLiteEngine({ path })`, `new PostgresEngine(...)`). */
export interface EngineDefinition {
  readonly fileName: string;
  /** 1-based. */
  readonly line: number;
  /** The literals the `path` expression is made of, where they could be found. */
  readonly literals: readonly PathLiteral[];
}

/** `tableName` and `engine` may be found only when first read (they cost a walk over declarations). */
export interface QueryFacts {
  /** The possible values of the engine's path. */
  readonly paths: PathValues;
  readonly tableName: string | undefined;
  readonly engine: EngineDefinition | undefined;
  /**
   * The expression may also be `null` or `undefined` (typed `Query | undefined`, say): a rewrite
   * to `.runSync()` must then keep that case, as `?.runSync()`.
   */
  readonly nullable: boolean;
  /**
   * Awaiting it runs it (every query but a prepared one, which runs only by `.run(values)` or
   * `.runSync(values)`: `await prepared` runs nothing).
   */
  readonly thenable: boolean;
  readonly syncRefused: SyncRefusal;
}

/** What the rules learn about an engine expression (`DB` in `DB.transactionSync(...)`). */
export interface EngineFacts {
  readonly syncRefused: SyncRefusal;
  /** Where it is constructed; found only when first read. */
  readonly engine: EngineDefinition | undefined;
}

/** Finds facts about an expression: `undefined` when it is not proven to be a Picco query. */
export interface QueryResolver {
  queryFacts(node: import('@typescript-eslint/utils').TSESTree.Node): QueryFacts | undefined;
  /** Facts about an expression proven to be a Picco engine, else `undefined`. */
  engineFacts(node: import('@typescript-eslint/utils').TSESTree.Node): EngineFacts | undefined;
}

/** Table methods of `@picco/core` that return a query, and query methods that return another: core's own lists. */
export { QUERY_CHAIN_METHODS, TABLE_QUERY_METHODS };
export const ENGINE_QUERY_METHODS: ReadonlySet<string> = new Set(['raw']);
export const SCHEMA_BATCH_FUNCTIONS: ReadonlySet<string> = new Set(['createTables', 'dropTables']);

/** ` (engine defined at ./db.ts:3)` for a message, relative to the linted file; `''` when unknown. */
export function describeEngine(engine: EngineDefinition | undefined, lintedFileName: string): string {
  if (engine === undefined) return '';
  // Many reports in a file name the same engine (and path.resolve/relative cost more than the rest of a report).
  const key = `${lintedFileName}\0${engine.fileName}\0${engine.line}`;
  let described = describedEngines.get(key);
  if (described === undefined) {
    if (describedEngines.size >= 4096) describedEngines.clear();
    describedEngines.set(key, (described = describe(engine, lintedFileName)));
  }
  return described;
}

const describedEngines = new Map<string, string>();

function describe(engine: EngineDefinition, lintedFileName: string): string {
  if (nodePath.resolve(engine.fileName) === nodePath.resolve(lintedFileName)) return ` (engine defined on line ${engine.line})`;
  // Relative to the linted file, as an import specifier would be written.
  let relative = nodePath.relative(nodePath.dirname(lintedFileName), engine.fileName).split(nodePath.sep).join('/');
  if (!relative.startsWith('../')) relative = `./${relative}`;
  return ` (engine defined at ${relative}:${engine.line})`;
}
