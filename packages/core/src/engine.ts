/**
 * What a query needs from whatever executes it. `@picco/runtime`'s `SQLiteEngine` and
 * `@picco/postgres`'s `PostgresEngine` implement it; core imports neither.
 */
import type { CompiledQuery, ExecutionResult, RunResult } from './compiler/compiled-query.js';
import type { SqlValue } from './operation-node/nodes.js';
import type { DialectName } from './dialect/dialect.js';

export interface Engine {
  /**
   * SQLite: the path exactly as the user wrote it; its literal type is what the linter reads.
   * A server engine (PostgreSQL): where it connects, password hidden, typed `string`.
   */
  readonly path: string;
  /**
   * The SQL this engine runs: table queries compile to it. Optional so that an engine written
   * before dialects keeps compiling; absent means `'sqlite'`.
   */
  readonly dialect?: DialectName;
  /** Runs on the calling thread and returns when the database is done; an engine with no synchronous driver throws `SYNC_UNSUPPORTED`. */
  executeSync(query: CompiledQuery): ExecutionResult;
  /** Runs asynchronously; rejects with a `PiccoError` rather than throwing. */
  execute(query: CompiledQuery): Promise<ExecutionResult>;
  /** Runs `callback` in one transaction: queries made inside it share one connection. */
  transaction<T>(callback: () => T | PromiseLike<T>): Promise<T>;
  /** Same, synchronously (`SYNC_UNSUPPORTED` where there is no synchronous driver). */
  transactionSync<T>(callback: () => T): T;
  /**
   * Optional: what a prepared query (`query.prepare()`) runs its `runSync()` calls through, asked
   * for once per prepared query. Each run is what `executeSync` of the statement with that run's
   * values would be (same connection, same refusals, same errors), without a query object per
   * run. An engine without it gets one `executeSync` per run.
   */
  statementRunner?(query: CompiledQuery): StatementRunner;
}

/** Runs one compiled statement synchronously with each run's values in place of `query.params`. */
export interface StatementRunner {
  /** As `executeSync({ ...query, params })`. */
  executeSync(params: readonly SqlValue[]): ExecutionResult;
  /**
   * As `countsOf(executeSync({ ...query, params }))`, for a statement that returns no rows (mode
   * `run`): the engine may hand back its driver's own counts object instead of copying it.
   */
  countsSync(params: readonly SqlValue[]): RunResult;
}
