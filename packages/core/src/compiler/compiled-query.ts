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
   * `first`: only the first row is wanted (the engine may stop reading after it).
   */
  readonly mode: 'all' | 'first' | 'run' | 'exec' | 'auto';
  /** True when the statement cannot write: engines may route it to any reader. */
  readonly readOnly: boolean;
  /** Read integers as `bigint` (a `bigint` column is in the result). */
  readonly safeIntegers: boolean;
  /** The table the query is about, for error messages; `undefined` for raw SQL. */
  readonly table: string | undefined;
  /**
   * Where an engine may keep the statement it prepared for this text, so that the next query of
   * the same shape (or the next run of a prepared query) skips its statement cache: one object
   * per statement shape, shared by every query of that shape. Engines check `owner` (a shape may
   * be run on several connections) and fall back to their cache; the object never crosses to
   * another process.
   */
  readonly statementMemo?: StatementMemo;
}

/** See `CompiledQuery.statementMemo`: whatever an engine keeps, and for which connection. */
export interface StatementMemo {
  owner: unknown;
  statement: unknown;
}

export function newStatementMemo(): StatementMemo {
  return { owner: undefined, statement: undefined };
}

/** The outcome of one execution, before the query decodes it into its result type. */
export interface ExecutionResult {
  readonly rows: readonly Record<string, unknown>[];
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}
