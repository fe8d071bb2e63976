/**
 * One better-sqlite3 connection with a bounded prepared-statement cache, and the one function
 * that executes a compiled query on it. The main thread and every worker process use this file,
 * so a query behaves the same wherever it runs.
 */
import Database from 'better-sqlite3';
import { countsOf, PiccoError, PiccoErrorCode, type CompiledQuery, type ExecutionResult, type RunResult, type SqlValue } from '@picco/core';
import { STATEMENT_CACHE_SIZE, type OpenOptions } from './open-options.js';
import { rowMakerFor, type RowMaker } from './row-maker.js';
import { executeSchemaBatch } from './schema-batch.js';

/**
 * A result whose rows, when `columns` is set, are arrays of values in that order (a table
 * query's read, on its way to another process: `rowsOf` makes them objects there).
 */
export interface TransferResult {
  readonly rows: readonly unknown[];
  readonly columns: readonly string[] | undefined;
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

const EMPTY_RESULT: TransferResult & ExecutionResult = Object.freeze({ rows: Object.freeze([]) as readonly Record<string, unknown>[], columns: undefined, changes: 0, lastInsertRowid: 0 });

/**
 * A prepared statement, and for a table query's read what makes each row's object from the array
 * the statement returns (see `rowMakerFor`).
 */
interface Prepared {
  readonly statement: Database.Statement;
  /** Set with `makeRow`: the result's column names. */
  readonly columns: readonly string[] | undefined;
  readonly makeRow: RowMaker | undefined;
}

export class Connection {
  readonly db: Database.Database;
  // One cache per combination of two per-statement modes, so one statement never serves both:
  // `safeIntegers`, and rows as arrays (Picco's table queries, see `rowMakerFor`) or as objects
  // (raw SQL, whose columns can change under a cached statement: `SELECT *` after ALTER TABLE).
  private readonly statements = new StatementCache(STATEMENT_CACHE_SIZE);
  private readonly bigIntStatements = new StatementCache(STATEMENT_CACHE_SIZE);
  private readonly tableStatements = new StatementCache(STATEMENT_CACHE_SIZE);
  private readonly bigIntTableStatements = new StatementCache(STATEMENT_CACHE_SIZE);
  private savepointCounter = 0;

  constructor(options: OpenOptions) {
    try {
      this.db = new Database(options.filename, {
        readonly: options.readonly,
        fileMustExist: options.mustExist,
        timeout: options.busyTimeoutMs,
      });
    } catch (error) {
      throw isMissingAddon(error) ? nativeAddonUnavailable(error) : error;
    }
    this.db.pragma('foreign_keys = ON');
    if (options.wal && !options.readonly) this.db.pragma('journal_mode = WAL');
    if (options.wal) this.db.pragma('synchronous = NORMAL');
  }

  /** Runs the query, with `params` (a prepared query's run) in place of its own values. */
  execute(query: CompiledQuery, params: readonly SqlValue[] = query.params): ExecutionResult {
    return this.run(query, params, true) as ExecutionResult;
  }

  /**
   * As `execute`, for a statement that returns no rows (mode `run`): better-sqlite3's own result
   * object, `{ changes, lastInsertRowid }`, which is already a `RunResult` (a prepared insert
   * then allocates nothing of its own beyond its values).
   */
  executeCounts(query: CompiledQuery, params: readonly SqlValue[]): RunResult {
    if (query.mode !== 'run') return countsOf(this.execute(query, params));
    return bind(this.statementFor(query).statement, 'run', params) as Database.RunResult;
  }

  /**
   * As `execute`, for an answer sent to another process: a table query's rows stay arrays of
   * values, named once by `columns` (V8's serializer pays per object and per key: 1000 rows of
   * three columns serialize and deserialize in half the time as arrays).
   */
  executeForTransfer(query: CompiledQuery): TransferResult {
    return this.run(query, query.params, false);
  }

  private run(query: CompiledQuery, params: readonly SqlValue[], asObjects: boolean): TransferResult {
    if (query.mode === 'exec') {
      this.atomically(() => this.db.exec(query.sql));
      return EMPTY_RESULT;
    }
    if (query.mode === 'batch') return { ...executeSchemaBatch(this.db, query, (work) => this.atomically(work)), columns: undefined };
    const { statement, columns, makeRow } = this.statementFor(query);
    const shipValues = !asObjects && makeRow !== undefined;
    if (query.mode === 'first') {
      const found = bind(statement, 'get', params);
      if (found === undefined) return EMPTY_RESULT;
      if (shipValues) return { rows: [found], columns, changes: 0, lastInsertRowid: 0 };
      return { rows: [makeRow === undefined ? found : makeRow(found as unknown[])], columns: undefined, changes: 0, lastInsertRowid: 0 };
    }
    const returnsRows = query.mode === 'all' || (query.mode === 'auto' && statement.reader);
    if (returnsRows) {
      const rows = bind(statement, 'all', params) as unknown[];
      if (shipValues) return { rows, columns, changes: 0, lastInsertRowid: 0 };
      if (makeRow !== undefined) for (let index = 0; index < rows.length; index++) rows[index] = makeRow(rows[index] as unknown[]);
      return { rows, columns: undefined, changes: 0, lastInsertRowid: 0 };
    }
    const info = bind(statement, 'run', params) as Database.RunResult;
    return { rows: EMPTY_RESULT.rows, columns: undefined, changes: info.changes, lastInsertRowid: info.lastInsertRowid };
  }

  /** Runs `work` so that it either happens whole or not at all, inside or outside a transaction. */
  atomically<T>(work: () => T): T {
    const name = `picco_atomic_${++this.savepointCounter}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = work();
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.db.exec(`ROLLBACK TO ${name}`);
      this.db.exec(`RELEASE ${name}`);
      throw error;
    }
  }

  close(): void {
    this.statements.clear();
    this.bigIntStatements.clear();
    this.tableStatements.clear();
    this.bigIntTableStatements.clear();
    if (this.db.open) this.db.close();
  }

  /**
   * The query's statement: the one its shape's memo holds for this connection, else from the
   * cache (and then kept in the memo). A memo skips the cache's lookup by text (`pnpm bench`,
   * point select: ~50 ns of the ~170 ns a query spent in this class). A statement stays valid
   * while its connection is open; a closed connection fails the run whichever way it was found.
   */
  private statementFor(query: CompiledQuery): Prepared {
    const memo = query.statementMemo;
    if (memo === undefined) return this.statement(query);
    if (memo.owner === this) return memo.statement as Prepared;
    const prepared = this.statement(query);
    memo.owner = this;
    memo.statement = prepared;
    return prepared;
  }

  private statement(query: CompiledQuery): Prepared {
    const { sql, safeIntegers } = query;
    // A table query (compiled by Picco: it names a table) lists its result columns by name, so
    // their names cannot change under the statement; raw SQL keeps better-sqlite3's object rows.
    const tableQuery = query.table !== undefined;
    const cache = tableQuery ? (safeIntegers ? this.bigIntTableStatements : this.tableStatements) : safeIntegers ? this.bigIntStatements : this.statements;
    let prepared = cache.get(sql);
    if (prepared === undefined) {
      const statement = this.db.prepare(sql);
      if (safeIntegers) statement.safeIntegers(true);
      let columns: string[] | undefined;
      if (tableQuery && statement.reader) {
        statement.raw(true);
        columns = statement.columns().map((column) => column.name);
      }
      prepared = { statement, columns, makeRow: columns === undefined ? undefined : rowMakerFor(columns) };
      cache.set(sql, prepared);
    }
    return prepared;
  }
}

/** Up to this many values are passed as separate arguments; see `bind`. */
const SPREAD_LIMIT = 256;

/**
 * Calls `statement[method]` with the values as separate arguments: better-sqlite3 binds them
 * faster than one array (it reads an array element by element through V8's API: ~0.1 µs more
 * per statement, 12% of a raw insert, measured in `pnpm bench`). Up to two values are passed
 * without a spread (a spread call costs more than the call itself for a point query). A long
 * list (a multi-row insert) stays one array argument, clear of the engine's limit on arguments.
 */
function bind(statement: Database.Statement, method: 'get' | 'all' | 'run', params: readonly unknown[]): unknown {
  // One call site per method and argument count: each stays monomorphic.
  switch (method) {
    case 'get':
      if (params.length === 1) return statement.get(params[0]);
      if (params.length === 0) return statement.get();
      if (params.length === 2) return statement.get(params[0], params[1]);
      return params.length <= SPREAD_LIMIT ? statement.get(...params) : statement.get(params);
    case 'all':
      if (params.length === 1) return statement.all(params[0]);
      if (params.length === 0) return statement.all();
      if (params.length === 2) return statement.all(params[0], params[1]);
      return params.length <= SPREAD_LIMIT ? statement.all(...params) : statement.all(params);
    case 'run':
      if (params.length === 1) return statement.run(params[0]);
      if (params.length === 2) return statement.run(params[0], params[1]);
      if (params.length === 0) return statement.run();
      return params.length <= SPREAD_LIMIT ? statement.run(...params) : statement.run(params);
  }
}

/**
 * A bounded cache that approximates least-recently-used eviction with two generations: hits in
 * the young map cost one lookup (no reordering, which costs more than the lookup itself); when
 * the young map is full it becomes the old one, and old entries still in use are promoted.
 * Statements are only ever run with `.all()`, `.get()` or `.run()` to completion, so sharing one
 * between calls never breaks an iteration or a `.raw()`/`.pluck()` mode.
 */
class StatementCache {
  private young = new Map<string, Prepared>();
  private old = new Map<string, Prepared>();

  constructor(private readonly capacity: number) {}

  get(sql: string): Prepared | undefined {
    const hit = this.young.get(sql);
    if (hit !== undefined) return hit;
    const promoted = this.old.get(sql);
    if (promoted !== undefined) {
      this.old.delete(sql);
      this.set(sql, promoted);
    }
    return promoted;
  }

  set(sql: string, statement: Prepared): void {
    if (this.young.size >= this.capacity / 2) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(sql, statement);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }
}

/**
 * better-sqlite3 loads its native addon when the first database opens. It is missing when its
 * build script never ran (pnpm 10+ skips build scripts it was not told to allow) and unloadable
 * when it was built for another Node.js version or platform.
 */
function isMissingAddon(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'ERR_DLOPEN_FAILED' || (typeof message === 'string' && (message.includes('Could not locate the bindings file') || message.includes('better_sqlite3.node')));
}

function nativeAddonUnavailable(error: unknown): PiccoError {
  return new PiccoError(
    PiccoErrorCode.NATIVE_ADDON_UNAVAILABLE,
    `better-sqlite3's native addon could not be loaded, so no SQLite database can open (${String((error as Error).message).split('\n')[0]}). ` +
      'Its install step did not build it, or built it for another Node.js version. With pnpm, allow its build ' +
      '(`pnpm approve-builds`, or `allowBuilds: { better-sqlite3: true }` in pnpm-workspace.yaml) and run `pnpm rebuild better-sqlite3`; ' +
      'with npm, run `npm rebuild better-sqlite3`. Building from source needs Python 3, make and a C++ compiler.',
    { cause: error },
  );
}
