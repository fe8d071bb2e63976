/**
 * A query compiled once and run many times with values for its named parameters (see param.ts):
 * `Band.select().where(Band.id.eq(param('id'))).first().prepare()`.
 *
 * It holds the statement text, what binds a run's values (binder.ts: the positions of its
 * parameters among the statement's values, each one's encoder), and the query's decoder. A run
 * copies the values list, encodes the parameters into it, and hands the engine a `CompiledQuery`
 * like any other query's: so it runs where an ordinary query would (the current transaction's
 * connection, the worker pool, the main connection for `runSync()`), is refused where one would
 * be (a closed engine, `runSync()` beside an async transaction...), and finds its prepared
 * statement in the connection's cache by the very string it was compiled to.
 *
 * `runSync()` goes through the engine's `StatementRunner` when it has one (SQLite's does): the
 * same path as `executeSync`, given the values beside the statement rather than in a new query
 * object, and for a mutation without `returning()` answering with the driver's counts as they
 * are. That is what keeps a prepared insert or update near raw better-sqlite3 (BENCHMARKS.md).
 */
import { countsOf, newStatementMemo, type CompiledQuery, type ExecutionResult, type StatementMemo } from '../compiler/compiled-query.js';
import type { Engine, StatementRunner } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { SqlValue } from '../operation-node/nodes.js';
import { binderFor, type Binder } from './binder.js';
import { dialectNamed, dialectOf } from '../dialect/dialects.js';
import { isParamSlot, type NoParams, type ParamSlot, type ParamValues } from './param.js';

/** What `run()` takes: the parameters' values, or nothing when the query has none. */
export type RunArguments<P> = keyof P extends never ? [values?: Record<string, never>] : [values: ParamValues<P>];

export class PreparedQuery<TResult, P = NoParams, E extends Engine = Engine> {
  /** Phantom: the parameters a run takes; never read at run time. */
  declare readonly _params: P;
  private readonly sql: string;
  private readonly mode: CompiledQuery['mode'];
  private readonly readOnly: boolean;
  private readonly safeIntegers: boolean;
  private readonly table: string | undefined;
  private readonly statementMemo: StatementMemo;
  /** The statement's values; parameters hold a placeholder until a run fills them in. */
  private readonly values: readonly SqlValue[];
  /** The distinct parameter names. */
  private readonly names: ReadonlySet<string>;
  /** A run's values to the statement's (see binder.ts). */
  private readonly binder: Binder;
  /** What `runSync()` runs through, when the engine has one (see `Engine.statementRunner`). */
  private readonly runner: StatementRunner | undefined;
  /** The decoder is `countsOf` (a mutation without RETURNING): the runner's counts are the result. */
  private readonly countsOnly: boolean;

  constructor(
    /** The engine every run uses. */
    readonly engine: E,
    compiled: CompiledQuery,
    private readonly decode: (result: ExecutionResult) => TResult,
  ) {
    this.sql = compiled.sql;
    this.mode = compiled.mode;
    this.readOnly = compiled.readOnly;
    this.safeIntegers = compiled.safeIntegers;
    this.table = compiled.table;
    this.statementMemo = compiled.statementMemo ?? newStatementMemo();
    this.values = compiled.params.slice();
    const slotIndexes: number[] = [];
    const slots: ParamSlot[] = [];
    compiled.params.forEach((value, index) => {
      if (isParamSlot(value)) {
        slotIndexes.push(index);
        slots.push(value);
      }
    });
    this.names = new Set(slots.map((slot) => slot.name));
    this.binder = binderFor({
      template: this.values,
      slots,
      slotIndexes,
      nameCount: this.names.size,
      toDecimal: dialectNamed(dialectOf(engine)).decimalParameter,
      unknownNames: (values) => this.unknownNames(values),
    });
    this.runner = engine.statementRunner?.(new BoundQuery(this.sql, this.values, this.mode, this.readOnly, this.safeIntegers, this.table, this.statementMemo));
    this.countsOnly = this.mode === 'run' && (decode as unknown) === countsOf;
  }

  /** The parameters' names, in the order they first appear in the statement. */
  get parameterNames(): readonly string[] {
    return [...this.names];
  }

  /** Runs on the engine's main-thread connection, like `query.runSync()`. */
  runSync(...[values]: RunArguments<P>): TResult {
    const runner = this.runner;
    if (runner === undefined) return this.decode(this.engine.executeSync(this.bind(values)));
    const params = this.bindValues(values);
    return this.countsOnly ? (runner.countsSync(params) as TResult) : this.decode(runner.executeSync(params));
  }

  /** Runs asynchronously, like `await query`; rejects (never throws) on bad values. */
  run(...[values]: RunArguments<P>): Promise<TResult> {
    let compiled: CompiledQuery;
    try {
      compiled = this.bind(values);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.engine.execute(compiled).then(this.decode, rethrowAtCallSite);
  }

  /** The statement and its values for these parameter values, as `query.toSQL()` shows an ordinary query. */
  toSQL(...[values]: RunArguments<P>): CompiledQuery {
    return this.bind(values);
  }

  private bind(values: Readonly<Record<string, unknown>> | undefined): CompiledQuery {
    return new BoundQuery(this.sql, this.bindValues(values), this.mode, this.readOnly, this.safeIntegers, this.table, this.statementMemo);
  }

  /** The statement's values for this run: a new list, or the query's own when it has no parameters. */
  private bindValues(values: Readonly<Record<string, unknown>> | undefined): readonly SqlValue[] {
    if (values === undefined && this.names.size === 0) return this.values;
    if (values === null || typeof values !== 'object') throw notAnObject(values, this.names);
    return this.binder(values);
  }

  private unknownNames(values: Readonly<Record<string, unknown>>): PiccoError {
    const unknown = Object.keys(values).filter((key) => values[key] !== undefined && !this.names.has(key));
    return new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `This prepared query got ${unknown.length === 1 ? 'an unknown parameter' : 'unknown parameters'} ${unknown.map((name) => `"${name}"`).join(', ')}; ` +
        (this.names.size === 0 ? 'it has no parameters.' : `its parameters are: ${[...this.names].map((name) => `"${name}"`).join(', ')}.`),
    );
  }
}

/**
 * One run's statement: a class, so every run's object has the same shape for the engine's hot
 * path. Its fields are `declare`d and assigned: parameter properties would be class fields,
 * defined one by one by an initializer (0.5% of a prepared insert loop's profile).
 */
class BoundQuery implements CompiledQuery {
  declare readonly sql: string;
  declare readonly params: readonly SqlValue[];
  declare readonly mode: CompiledQuery['mode'];
  declare readonly readOnly: boolean;
  declare readonly safeIntegers: boolean;
  declare readonly table: string | undefined;
  declare readonly statementMemo: StatementMemo;

  constructor(sql: string, params: readonly SqlValue[], mode: CompiledQuery['mode'], readOnly: boolean, safeIntegers: boolean, table: string | undefined, statementMemo: StatementMemo) {
    this.sql = sql;
    this.params = params;
    this.mode = mode;
    this.readOnly = readOnly;
    this.safeIntegers = safeIntegers;
    this.table = table;
    this.statementMemo = statementMemo;
  }
}

function notAnObject(values: unknown, names: ReadonlySet<string>): PiccoError {
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `A prepared query takes its parameters as one object, for example run({ ${[...names].map((name) => `${name}: ...`).join(', ') || 'id: 1'} }); got ${values === null ? 'null' : typeof values}.`,
  );
}

/** As `Query`'s: a failed run's stack shows the caller's lines. */
function rethrowAtCallSite(error: unknown): never {
  if (error instanceof Error) Error.captureStackTrace(error);
  throw error;
}
