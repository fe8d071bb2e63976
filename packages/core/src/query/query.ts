/**
 * The base of every query: immutable, lazy and thenable. Nothing runs until the query is
 * awaited, `.run()` or `.runSync()`; `.toSQL()` shows what would run.
 *
 * `engine` is declared with the engine's own type, so the type of any query says which engine
 * (and which literal path) it runs on: the linter reads it from there.
 */
import type { CompiledQuery, ExecutionResult } from '../compiler/compiled-query.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';

export abstract class Query<TResult, E extends Engine = Engine> implements PromiseLike<TResult> {
  /** The engine this query runs on. */
  // `declare` + an assignment in the constructor, not a class field: a field in this base class
  // is defined (not assigned) on every query object, and with a dozen query subclasses that
  // define site goes megamorphic and takes V8's slow path. Measured with `node --cpu-prof` on
  // `pnpm bench`: 17% of a Picco point select spent in Query's field initializer.
  declare readonly engine: E;

  constructor(engine: E) {
    this.engine = engine;
  }

  /** The SQL and parameters this query compiles to. */
  abstract toSQL(): CompiledQuery;

  /** Turns what the engine returned into this query's result. */
  protected abstract decode(result: ExecutionResult): TResult;

  /** Checks done just before execution (for example `UNFILTERED_MUTATION`). */
  protected validate(): void {}

  /** Runs on the engine's main-thread connection. */
  runSync(): TResult {
    const engine = this.requireEngine();
    this.validate();
    return this.decode(engine.executeSync(this.toSQL()));
  }

  /** Runs asynchronously (a worker process for file databases). */
  run(): Promise<TResult> {
    let compiled: CompiledQuery;
    let engine: E;
    try {
      engine = this.requireEngine();
      this.validate();
      compiled = this.toSQL();
    } catch (error) {
      return Promise.reject(error).catch(rethrowAtCallSite);
    }
    return engine.execute(compiled).then((result) => this.decode(result), rethrowAtCallSite);
  }

  then<TFulfilled = TResult, TRejected = never>(
    onFulfilled?: ((value: TResult) => TFulfilled | PromiseLike<TFulfilled>) | null,
    onRejected?: ((reason: unknown) => TRejected | PromiseLike<TRejected>) | null,
  ): Promise<TFulfilled | TRejected> {
    return this.run().then(onFulfilled, onRejected);
  }

  private requireEngine(): E {
    if (this.engine === undefined || this.engine === null) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `This query has no engine to run on. Pass one to defineTable: defineTable(name, columns, { db: DB }).`,
      );
    }
    return this.engine;
  }
}

/**
 * A failed query's error is made far from the user's code (in a worker's answer, or in the
 * microtask that `await query` scheduled), so its stack shows only Picco. In a promise reaction,
 * V8 knows which async functions await the promise: recapturing the stack there puts the user's
 * lines in it. It runs only on failure: success pays nothing.
 */
function rethrowAtCallSite(error: unknown): never {
  if (error instanceof Error) Error.captureStackTrace(error);
  throw error;
}
