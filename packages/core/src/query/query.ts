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
import { holdsParams, unpreparedParams, type NoParams } from './param.js';
import { PreparedQuery } from './prepared-query.js';

/**
 * `P`: the named parameters (`param('id')`) the query uses, `{}` when none; a query with
 * parameters runs only through `prepare()`.
 */
export abstract class Query<TResult, E extends Engine = Engine, P = NoParams> implements PromiseLike<TResult> {
  /** Phantom: the query's parameters and their types; never read at run time. */
  declare readonly _params: P;
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

  /**
   * The decoder a prepared query keeps: `decode`, unless a query can work out once what each
   * run's decoding needs (which columns to convert) and keep only the work per row.
   */
  protected decoder(): (result: ExecutionResult) => TResult {
    return (result) => this.decode(result);
  }

  /** Checks done just before execution (for example `UNFILTERED_MUTATION`). */
  protected validate(): void {}

  /**
   * Compiles the query once, for running many times with values for its parameters:
   * `const byId = Band.select().where(Band.id.eq(param('id'))).first().prepare();`
   * then `byId.runSync({ id: 1 })` or `await byId.run({ id: 1 })`. A run builds nothing: it
   * encodes the values, executes the statement text compiled here, and decodes the rows.
   */
  prepare(): PreparedQuery<TResult, P, E> {
    this.requireEngine();
    this.validate();
    return new PreparedQuery<TResult, P, E>(this.engine, this.toSQL(), this.decoder());
  }

  /** Runs on the engine's main-thread connection. */
  runSync(): TResult {
    const engine = this.requireEngine();
    this.validate();
    const compiled = this.toSQL();
    if (holdsParams(compiled.params)) throw unpreparedParams(compiled.params, compiled.table);
    return this.decode(engine.executeSync(compiled));
  }

  /** Runs asynchronously (a worker process for file databases). */
  run(): Promise<TResult> {
    let compiled: CompiledQuery;
    let engine: E;
    try {
      engine = this.requireEngine();
      this.validate();
      compiled = this.toSQL();
      if (holdsParams(compiled.params)) throw unpreparedParams(compiled.params, compiled.table);
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
