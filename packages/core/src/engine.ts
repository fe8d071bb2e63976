/**
 * What a query needs from whatever executes it. `@picco/runtime`'s `SQLiteEngine` and
 * `@picco/postgres`'s `PostgresEngine` implement it; core imports neither.
 */
import type { CompiledQuery, ExecutionResult } from './compiler/compiled-query.js';
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
}
