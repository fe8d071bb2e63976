/**
 * `PostgresEngine`: Picco on a PostgreSQL server, through node-postgres's pool.
 *
 *   export const DB = new PostgresEngine({ connectionString: process.env.DATABASE_URL, max: 10 });
 *
 * - Every query is async: a query outside a transaction takes a pooled connection for its
 *   duration. `.runSync()` and `transactionSync()` are refused at once (`SYNC_UNSUPPORTED`).
 * - `transaction()` pins one pooled connection from BEGIN to COMMIT/ROLLBACK; the queries of the
 *   callback (found through `AsyncLocalStorage`) run on it, and a nested call is a savepoint. The
 *   rules are core's `Transactions`, the same as the SQLite engine's (see transaction-scope.ts).
 * - Errors are `PiccoError`s: `QUERY_FAILED` with PostgreSQL's SQLSTATE in `sqlState`,
 *   `CONNECTION_FAILED` when the server cannot be reached or the connection is lost.
 * - `close()` refuses new work at once, lets running queries and open transactions finish, and
 *   ends the pool. Idle connections never keep the process alive.
 */
import {
  PiccoError,
  PiccoErrorCode,
  RawQuery,
  Transactions,
  type CompiledQuery,
  type Engine,
  type ExecutionResult,
  type SqlValue,
  type TopLevelTarget,
} from '@picco/core';
import pg from 'pg';
import { ClientSlots } from './connection/client-slots.js';
import { connectionFailed, describeTarget, engineClosed, isConnectionLoss, syncUnsupported } from './connection/errors.js';
import { executeOn } from './connection/execute.js';
import { PinnedClient } from './connection/pinned-client.js';
import { checkOptions } from './engine-options.js';

export interface PostgresEngineOptions {
  /** `postgresql://user:password@host:5432/database`; left out, node-postgres reads PGHOST, PGUSER, ... */
  connectionString?: string | undefined;
  /** The most connections the engine opens (queries beyond wait their turn, first come, first served). Default 10. */
  max?: number;
  /** How long opening a connection may take before it fails with `CONNECTION_FAILED`. Default 10000. */
  connectionTimeoutMs?: number;
}

export class PostgresEngine implements Engine {
  /** Where the engine connects, password hidden (the `Engine` interface's `path`; there is no file). */
  readonly path: string;
  /** The most connections the engine opens. */
  readonly max: number;
  private readonly pool: pg.Pool;
  private readonly slots: ClientSlots;
  private readonly transactions = new Transactions<PinnedClient>({ begin: 'BEGIN', oneAtATime: false });
  private closing: Promise<void> | undefined;

  constructor(options: PostgresEngineOptions = {}) {
    if (options === null || typeof options !== 'object') {
      throw new PiccoError(
        PiccoErrorCode.INVALID_OPTION,
        'new PostgresEngine() takes an options object, for example new PostgresEngine({ connectionString: process.env.DATABASE_URL }).',
      );
    }
    const checked = checkOptions(options);
    this.path = describeTarget(checked.connectionString);
    this.max = checked.max;
    this.slots = new ClientSlots(checked.max);
    this.pool = new pg.Pool({
      connectionString: checked.connectionString,
      max: checked.max,
      connectionTimeoutMillis: checked.connectionTimeoutMs,
      // Idle connections do not keep the process alive: a script that forgets close() still exits.
      allowExitOnIdle: true,
    });
    // An idle connection that dies (server restart, idle timeout on a proxy) is dropped by the
    // pool and replaced on next use; without a listener, its 'error' event would crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Refused: PostgreSQL has no synchronous driver (`SYNC_UNSUPPORTED`). */
  executeSync(_query: CompiledQuery): ExecutionResult {
    throw syncUnsupported('.runSync()');
  }

  /** Refused: PostgreSQL has no synchronous driver (`SYNC_UNSUPPORTED`). */
  transactionSync<T>(_callback: () => T): T {
    throw syncUnsupported('transactionSync()');
  }

  execute(query: CompiledQuery): Promise<ExecutionResult> {
    if (query.table !== undefined) return Promise.reject(tableQueriesNotYetSupported(query));
    const scope = this.transactions.current();
    // Inside a transaction: its pinned connection (it may finish after close(); close() waits for it).
    if (scope !== undefined) return scope.run(() => scope.target.send(query));
    if (this.closing !== undefined) return Promise.reject(engineClosed());
    return this.executePooled(query);
  }

  /**
   * Runs `callback` in one transaction on one connection; its queries (awaited, returned, or
   * started and left running) run inside it. Throwing rolls back. A nested call is a savepoint.
   */
  transaction<T>(callback: () => T | PromiseLike<T>): Promise<T> {
    if (this.closing !== undefined && this.transactions.current() === undefined) return Promise.reject(engineClosed());
    return this.transactions.run(callback, () => this.pin());
  }

  /** Hand-written SQL with `$1, $2, ...` parameters, as a query like any other (lazy, thenable). */
  raw<TRow = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): RawQuery<TRow, this> {
    return new RawQuery<TRow, this>(this, sql, params);
  }

  /**
   * Refuses new queries and transactions at once (`ENGINE_CLOSED`, also for queries still waiting
   * for a connection), lets running queries and open transactions finish, then ends the pool.
   */
  close(): Promise<void> {
    if (this.closing === undefined) {
      this.slots.refuseAll(engineClosed);
      this.closing = this.pool.end();
    }
    return this.closing;
  }

  get isClosed(): boolean {
    return this.closing !== undefined;
  }

  /** One query on a connection of the pool, given back as soon as the answer is in. */
  private async executePooled(query: CompiledQuery): Promise<ExecutionResult> {
    const releaseSlot = await this.slots.acquire();
    try {
      const client = await this.connect();
      try {
        const result = await executeOn(client, query);
        client.release();
        return result;
      } catch (error) {
        // A lost connection must not go back to the pool; after a plain SQL error it is fine.
        client.release(isConnectionLoss((error as PiccoError).cause ?? error));
        throw error;
      }
    } finally {
      releaseSlot();
    }
  }

  /** A top-level transaction's connection, held until `finish`. */
  private async pin(): Promise<TopLevelTarget<PinnedClient>> {
    const releaseSlot = await this.slots.acquire();
    let client: pg.PoolClient;
    try {
      client = await this.connect();
    } catch (error) {
      releaseSlot();
      throw error;
    }
    const pinned = new PinnedClient(client);
    return {
      target: pinned,
      control: (sql) => pinned.control(sql),
      canRollBack: () => pinned.isUsable,
      finish: () => {
        pinned.unpin();
        releaseSlot();
      },
    };
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      if (this.closing !== undefined) throw engineClosed();
      throw connectionFailed(error, this.path);
    }
  }
}

/**
 * Table queries are compiled to SQLite's SQL today (`?` parameters, SQLite's types): run on
 * PostgreSQL they would fail with a baffling syntax error or, worse, mean something else. Until
 * the compiler has a PostgreSQL dialect, they are refused by name.
 */
function tableQueriesNotYetSupported(query: CompiledQuery): PiccoError {
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `A query on table "${query.table}" cannot run on a PostgresEngine yet: Picco's compiler writes SQLite's SQL and has no ` +
      'PostgreSQL dialect so far. Use raw SQL with $1, $2 parameters for now: DB.raw("SELECT * FROM band WHERE id = $1", [id]).',
    { sql: query.sql },
  );
}
