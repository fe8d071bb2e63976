import type { SqlValue } from '../operation-node/nodes.js';

/**
 * What the compiler hands to an engine. Everything an engine needs to run the statement well
 * travels with it, so engines never inspect SQL text.
 */
export interface CompiledQuery {
  readonly sql: string;
  readonly params: readonly SqlValue[];
  /**
   * `all`: a statement that returns rows; `run`: one that does not;
   * `exec`: several parameterless statements (DDL), run atomically;
   * `auto`: raw SQL, rows if the statement returns any;
   * `first`: only the first row is wanted (the engine may stop reading after it);
   * `batch`: the schema change in `batch`, as one unit (`sql` shows it).
   */
  readonly mode: 'all' | 'first' | 'run' | 'exec' | 'auto' | 'batch';
  /** True when the statement cannot write: engines may route it to any reader. */
  readonly readOnly: boolean;
  /** Read integers as `bigint` (a `bigint` column is in the result). */
  readonly safeIntegers: boolean;
  /**
   * The table the query is about, for error messages; `undefined` for raw SQL. A statement that
   * names its table lists its result columns by name (never `SELECT *`), so their names cannot
   * change under a prepared statement: the SQLite runtime keeps them per statement and builds
   * rows itself (see its connection.ts). SQL that may read `*` must leave this `undefined`.
   */
  readonly table: string | undefined;
  /**
   * Where an engine may keep the statement it prepared for this text, so that the next query of
   * the same shape (or the next run of a prepared query) skips its statement cache: one object
   * per statement shape, shared by every query of that shape. Engines check `owner` (a shape may
   * be run on several connections) and fall back to their cache; the object never crosses to
   * another process.
   */
  readonly statementMemo?: StatementMemo;
  /** With mode `batch`: what to run. */
  readonly batch?: SchemaBatch;
}

/** See `CompiledQuery.statementMemo`: whatever an engine keeps, and for which connection. */
export interface StatementMemo {
  owner: unknown;
  statement: unknown;
}

export function newStatementMemo(): StatementMemo {
  return { owner: undefined, statement: undefined };
}

/**
 * Schema changes run as one unit: in one transaction on one connection (the writer), nothing
 * else in between. A batch holding a table rebuild runs with foreign keys switched off around
 * its transaction and checked before its COMMIT; it is refused inside an open transaction
 * (`SCHEMA_CHANGE_IN_TRANSACTION`), where SQLite cannot switch them. The result has one row,
 * `{ applied: 1 }`, or `{ applied: 0 }` when `skipIf` found a row.
 */
export interface SchemaBatch {
  readonly steps: readonly BatchStep[];
  /** Statements run first inside the transaction, before `skipIf` (PostgreSQL: an advisory lock; SQLite's BEGIN IMMEDIATE is its lock). */
  readonly first?: readonly { readonly sql: string; readonly params: readonly SqlValue[] }[];
  /** A read run first inside the transaction: when it returns a row, nothing runs (a migration another run applied). */
  readonly skipIf?: { readonly sql: string; readonly params: readonly SqlValue[] };
}

export type BatchStep = { readonly kind: 'statement'; readonly sql: string; readonly params: readonly SqlValue[] } | TableRebuildStep;

/** One table rebuild (see `tableRebuildStep` in dialect/sqlite/sqlite-rebuild.ts for the steps). */
export interface TableRebuildStep {
  readonly kind: 'rebuild';
  readonly table: string;
  /** The columns the change expects the table to have (SQL names, in any order); a table with others is left alone. */
  readonly expectedColumns: readonly string[];
  readonly temporaryName: string;
  /** `CREATE TABLE` of the new table, under `temporaryName`. */
  readonly create: string;
  /** `INSERT INTO temporaryName (...) SELECT ... FROM table`. */
  readonly copy: string;
  /** The new definition's `CREATE INDEX` statements. */
  readonly indexes: readonly string[];
  /** The old definition's index names: replaced by `indexes`, not restored. Any other index, and every trigger, is restored as it was. */
  readonly replacedIndexes: readonly string[];
}

/** The outcome of one execution, before the query decodes it into its result type. */
export interface ExecutionResult {
  readonly rows: readonly Record<string, unknown>[];
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

/** What an insert, update or delete without `returning()` resolves to. */
export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
  /** The rowid of the last inserted row. */
  readonly lastInsertRowid: number | bigint;
}

/** A statement's counts: the result of a mutation without `returning()`. */
export function countsOf(result: ExecutionResult): RunResult {
  return { changes: result.changes, lastInsertRowid: result.lastInsertRowid };
}
