/**
 * `SQLiteEngine`: what users construct and export, `new SQLiteEngine({ path: 'app.db' })`.
 *
 * The path is read by core's `parseSqlitePath` (the same function the linter asks) and never
 * handed to SQLite verbatim:
 * - `file`: sync queries on the main thread, async ones on a pool of worker processes (WAL);
 * - `shared-memory`: one in-memory connection that every query of the engine uses, sync or async;
 * - `private-memory` / `private-temporary`: sync only; an async execution is refused with
 *   `PRIVATE_MEMORY_ASYNC` before it touches any database;
 * - `invalid`: refused with `INVALID_PATH` here, before anything touches the disk.
 */
import {
  DOCS_BASE_URL,
  PiccoError,
  PiccoErrorCode,
  RawQuery,
  isPrivatePathKind,
  resolveSqlitePath,
  type CompiledQuery,
  type Engine,
  type ExecutionResult,
  type SqlValue,
  type SqlitePathInfo,
  type StatementRunner,
} from '@picco/core';
import { Connection } from './connection/connection.js';
import type { OpenOptions } from './connection/open-options.js';
import { InlineSession } from './session/inline-session.js';
import { MainThreadRunner } from './session/main-thread-runner.js';
import { PooledSession } from './session/pooled-session.js';
import { ReadPlacement } from './session/read-placement.js';
import { executeNow, type Session } from './session/session.js';
import { checkOptions, type CheckedOptions } from './engine-options.js';
import { namedMemorySession, releaseNamedMemory, retainNamedMemory } from './session/shared-memory-registry.js';
import { WorkerPool, type DatabaseWorker } from './worker/worker-pool.js';

export interface SQLiteEngineOptions<Path extends string = string> {
  /** `'app.db'`, `':memory:?cache=shared'`, `':memory:'` (sync only)...; see ARCHITECTURE.md, "Path semantics". */
  path: Path;
  /** Worker processes for async queries on a file database; `0` runs them inline on the main connection. Default 2. */
  workers?: number;
  /** How long a connection waits for another's write lock before failing with SQLITE_BUSY. Default 5000. */
  busyTimeoutMs?: number;
  /** Open the database read-only. */
  readonly?: boolean;
}

type ValidPath = Exclude<SqlitePathInfo, { kind: 'invalid' }>;

export class SQLiteEngine<const Path extends string = string> implements Engine {
  readonly path: Path;
  /** Table queries compile to SQLite's SQL. */
  readonly dialect = 'sqlite' as const;
  /** What the path means (see `parseSqlitePath`). */
  readonly pathInfo: ValidPath;
  private readonly options: CheckedOptions;
  private session: Session | undefined;
  private mainConnection: Connection | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: SQLiteEngineOptions<Path>) {
    if (options === null || typeof options !== 'object') {
      throw new PiccoError(PiccoErrorCode.INVALID_PATH, `new SQLiteEngine() takes an options object, for example new SQLiteEngine({ path: 'app.db' }).`);
    }
    this.pathInfo = resolveSqlitePath(options.path);
    this.path = options.path;
    this.options = checkOptions(options, this.pathInfo);
    // A named shared database lives while any engine naming it is open, used yet or not.
    if (this.pathInfo.kind === 'shared-memory' && this.pathInfo.name !== undefined) retainNamedMemory(this.pathInfo.name);
  }

  executeSync(query: CompiledQuery): ExecutionResult {
    return executeNow(this.openSession().syncConnection(query.readOnly), query);
  }

  /** A prepared query's `runSync()` path (see `Engine.statementRunner` and main-thread-runner.ts). */
  statementRunner(query: CompiledQuery): StatementRunner {
    return new MainThreadRunner(() => this.openSession(), query);
  }

  execute(query: CompiledQuery): Promise<ExecutionResult> {
    try {
      this.refuseAsyncOnPrivateMemory(query);
      return this.openSession().execute(query);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Runs `callback` in one transaction; its queries (awaited or not) share one connection. Throwing rolls back. */
  async transaction<T>(callback: () => T | PromiseLike<T>): Promise<T> {
    this.refuseAsyncOnPrivateMemory('an async transaction');
    return this.openSession().transaction(callback);
  }

  /** A synchronous transaction on the main connection; nested calls use savepoints. */
  transactionSync<T>(callback: () => T): T {
    return this.openSession().transactionSync(callback);
  }

  /** Hand-written SQL with `?` parameters, as a query like any other (lazy, thenable, `.runSync()`). */
  raw<TRow = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): RawQuery<TRow, this> {
    return new RawQuery<TRow, this>(this, sql, params);
  }

  /**
   * Closes the engine. From the call on, new queries fail with `ENGINE_CLOSED`. Queries already
   * running on worker processes get up to 1 s (`CLOSE_GRACE_MS`) to finish and settle as usual;
   * a worker still busy then is killed, whatever it is doing (even a query that never ends), and
   * its unanswered queries reject with `ENGINE_CLOSED` (a write among them may or may not have
   * been applied; an open transaction is rolled back). Resolves once every connection is closed
   * and every worker process has exited: within about a second. Calling it again returns the
   * same promise.
   */
  close(): Promise<void> {
    this.closed = true;
    return (this.closing ??= this.closeConnections());
  }

  private async closeConnections(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (this.pathInfo.kind === 'shared-memory' && this.pathInfo.name !== undefined) {
      releaseNamedMemory(this.pathInfo.name);
    } else {
      await session?.close();
    }
    this.mainConnection?.close();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * The worker processes a file engine has started (empty otherwise, and after `close()`), for
   * diagnostics and fault tests: each has a `pid`, `inFlight`, `isAlive` and `terminate()`.
   */
  workerProcesses(): readonly DatabaseWorker[] {
    return this.session instanceof PooledSession ? this.session.pool.list() : [];
  }

  /** @deprecated The workers are processes now: use `workerProcesses()`. */
  workerThreads(): readonly DatabaseWorker[] {
    return this.workerProcesses();
  }

  private openSession(): Session {
    if (this.closed) {
      throw new PiccoError(PiccoErrorCode.ENGINE_CLOSED, `The engine for ${JSON.stringify(this.path)} was closed with close(); create a new SQLiteEngine to keep going.`);
    }
    return (this.session ??= this.createSession());
  }

  private createSession(): Session {
    const info = this.pathInfo;
    switch (info.kind) {
      case 'shared-memory':
        return info.name === undefined ? new InlineSession(this.connection({ filename: ':memory:', wal: false })) : namedMemorySession(info.name);
      case 'private-memory':
        return new InlineSession(this.connection({ filename: ':memory:', wal: false }));
      case 'private-temporary':
        return new InlineSession(this.connection({ filename: '', wal: false }));
      case 'file': {
        const open = { filename: info.filename, wal: true, readonly: this.options.readonly || info.readonly, mustExist: info.mustExist };
        // The main connection opens first: it creates the file and turns WAL on before any worker starts.
        const main = this.connection(open);
        if (this.options.workers === 0) return new InlineSession(main);
        const placement = new ReadPlacement(() => main);
        return new PooledSession(() => main, new WorkerPool(this.options.workers, this.openOptions(open), placement.observe), placement);
      }
    }
  }

  private connection(open: Partial<OpenOptions> & Pick<OpenOptions, 'filename' | 'wal'>): Connection {
    try {
      this.mainConnection = new Connection(this.openOptions(open));
      return this.mainConnection;
    } catch (error) {
      if (error instanceof PiccoError) throw error;
      throw new PiccoError(
        PiccoErrorCode.QUERY_FAILED,
        `Could not open the database ${JSON.stringify(this.path)}: ${(error as Error).message}. Check that the folder exists and is writable.`,
        { sqliteCode: (error as { code?: string }).code, cause: error },
      );
    }
  }

  private openOptions(open: Partial<OpenOptions> & Pick<OpenOptions, 'filename' | 'wal'>): OpenOptions {
    return {
      readonly: this.options.readonly,
      mustExist: false,
      busyTimeoutMs: this.options.busyTimeoutMs,
      ...open,
    };
  }

  /** `what`: the refused query, or a description; the message is built only when refusing (this runs on every async query). */
  private refuseAsyncOnPrivateMemory(what: CompiledQuery | string): void {
    if (this.closed) {
      throw new PiccoError(PiccoErrorCode.ENGINE_CLOSED, `The engine for ${JSON.stringify(this.path)} was closed with close(); create a new SQLiteEngine to keep going.`);
    }
    if (!isPrivatePathKind(this.pathInfo.kind)) return;
    const subject =
      typeof what === 'string' ? what : what.table === undefined ? 'an async query (raw SQL)' : `an async query on table "${what.table}"`;
    const database = this.pathInfo.kind === 'private-temporary' ? 'a private temporary database' : 'a private in-memory database';
    throw new PiccoError(
      PiccoErrorCode.PRIVATE_MEMORY_ASYNC,
      `Refusing ${subject}: the engine's path ${JSON.stringify(this.path)} is ${database}, which exists only ` +
        `inside the one connection that opened it. Async queries may run on another connection, where the table you created ` +
        `does not exist ("no such table"). Fix it one of two ways: use path ':memory:?cache=shared' (one in-memory database ` +
        `shared by every query of this engine), or run the query synchronously with .runSync(). ` +
        `See ${DOCS_BASE_URL}no-async-private-memory.md`,
    );
  }
}
