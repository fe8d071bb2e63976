/**
 * What a query needs from whatever executes it. `@picco/runtime`'s `SQLiteEngine` implements
 * it; core never imports the runtime.
 */
import type { CompiledQuery, ExecutionResult } from './compiler/compiled-query.js';

export interface Engine {
  /** The path exactly as the user wrote it; its literal type is what the linter reads. */
  readonly path: string;
  /** Runs on the calling thread and returns when SQLite is done. */
  executeSync(query: CompiledQuery): ExecutionResult;
  /** Runs asynchronously; rejects with a `PiccoError` rather than throwing. */
  execute(query: CompiledQuery): Promise<ExecutionResult>;
  /** Runs `callback` in one transaction: queries made inside it share one connection. */
  transaction<T>(callback: () => T | PromiseLike<T>): Promise<T>;
  transactionSync<T>(callback: () => T): T;
}
