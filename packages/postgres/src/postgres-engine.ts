/**
 * `PostgresEngine`: Picco on a PostgreSQL server, through node-postgres's pool.
 *
 *   export const DB = new PostgresEngine({ connectionString: process.env.DATABASE_URL, max: 10 });
 *
 * - Every query is async: a query outside a transaction takes a pooled connection for its
 *   duration. `.runSync()` and `transactionSync()` are refused at once (`SYNC_UNSUPPORTED`).
 * - Table queries compile to PostgreSQL's SQL (`dialect`; core's `dialect/postgres/`), and come
 *   back as the same JavaScript values as on SQLite (see `connection/execute.ts`).
 * - `transaction()` pins one pooled connection from BEGIN to COMMIT/ROLLBACK; the queries of the
 *   callback (found through `AsyncLocalStorage`) run on it, and a nested call is a savepoint. The
 *   rules are core's `Transactions`, the same as the SQLite engine's (see transaction-scope.ts).
 * - Errors are `PiccoError`s: `QUERY_FAILED` with PostgreSQL's SQLSTATE in `sqlState`,
 *   `CONNECTION_FAILED` when the server cannot be reached or the connection is lost.
 * - `close()` behaves as the SQLite engine's: new queries (inside a transaction too) are refused
 *   at once, running ones get `CLOSE_GRACE_MS` to finish, then their connections are cut. It
 *   never waits longer. Idle connections never keep the process alive.
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
import { ClientSlots, type Slot } from './connection/client-slots.js';
import { closedMidQuery, connectionFailed, describeTarget, engineClosed, isConnectionLoss, syncUnsupported } from './connection/errors.js';
import { executeOn } from './connection/execute.js';
import { PinnedClient } from './connection/pinned-client.js';
import { StatementNames } from './connection/statement-names.js';
import { checkOptions } from './engine-options.js';

export interface PostgresEngineOptions {
  /** `postgresql://user:password@host:5432/database`; left out, node-postgres reads PGHOST, PGUSER, ... */
  connectionString?: string | undefined;
  /** The most connections the engine opens (queries beyond wait their turn, first come, first served). Default 10. */
  max?: number;
  /** How long opening a connection may take before it fails with `CONNECTION_FAILED`. Default 10000. */
  connectionTimeoutMs?: number;
  /**
   * Named prepared statements for the shapes of table queries used more than once (parsed and
   * planned once per connection). Default true. Turn off behind a pooler in transaction mode
   * that does not carry prepared statements between server connections (PgBouncer before 1.21).
   */
  preparedStatements?: boolean;
}

/** How long `close()` lets queries already running finish before it cuts their connections (as `SQLiteEngine`'s). */
export const CLOSE_GRACE_MS = 1000;

export class PostgresEngine implements Engine {
  /** Where the engine connects, password hidden (the `Engine` interface's `path`; there is no file). */
  readonly path: string;
  /** Table queries compile to PostgreSQL's SQL. */
  readonly dialect = 'postgres' as const;
  /** The most connections the engine opens. */
  readonly max: number;
  private readonly pool: pg.Pool;
  private readonly slots: ClientSlots<pg.PoolClient>;
  private readonly transactions = new Transactions<PinnedClient>({ begin: 'BEGIN', oneAtATime: false });
  private readonly statementNames: StatementNames | undefined;
  private closing: Promise<void> | undefined;
  /** Connections in use by a query or a transaction: what close() cuts once its grace period is over. */
  private readonly checkedOut = new Set<pg.PoolClient>();
  private cut = false;

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
    this.statementNames = checked.preparedStatements ? new StatementNames() : undefined;
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
    // After close(), inside a transaction too (its callback then fails and it rolls back), as on SQLite.
    if (this.closing !== undefined) return Promise.reject(engineClosed());
    if (query.mode === 'batch') return this.executeBatch(query);
    const scope = this.transactions.current();
    if (scope !== undefined) return scope.run(() => scope.target.send(query));
    return this.executePooled(query);
  }

  /**
   * A schema batch (core's `SchemaBatch`): its statements in one transaction (a savepoint inside
   * one), PostgreSQL's DDL being transactional. Resolves to `[{ applied: 1 }]`, or
   * `[{ applied: 0 }]` when its `skipIf` read found a row.
   */
  private executeBatch(query: CompiledQuery): Promise<ExecutionResult> {
    const batch = query.batch;
    if (batch === undefined || batch.steps.some((step) => step.kind !== 'statement')) {
      return Promise.reject(new PiccoError(PiccoErrorCode.INVALID_QUERY, `A schema batch for PostgreSQL holds only statements (a table rebuild is SQLite's). SQL: ${query.sql}`));
    }
    const statement = (sql: string, params: readonly SqlValue[], readOnly: boolean): CompiledQuery => ({ sql, params, mode: readOnly ? 'all' : 'run', readOnly, safeIntegers: false, table: query.table });
    return this.transaction(async () => {
      for (const first of batch.first ?? []) await this.execute(statement(first.sql, first.params, false));
      if (batch.skipIf !== undefined && (await this.execute(statement(batch.skipIf.sql, batch.skipIf.params, true))).rows.length > 0) {
        return { rows: [{ applied: 0 }], changes: 0, lastInsertRowid: 0 };
      }
      for (const step of batch.steps) if (step.kind === 'statement') await this.execute(statement(step.sql, step.params, false));
      return { rows: [{ applied: 1 }], changes: 0, lastInsertRowid: 0 };
    });
  }

  /**
   * Runs `callback` in one transaction on one connection; its queries (awaited, returned, or
   * started and left running) run inside it. Throwing rolls back. A nested call is a savepoint.
   */
  transaction<T>(callback: () => T | PromiseLike<T>): Promise<T> {
    if (this.closing !== undefined) return Promise.reject(engineClosed());
    return this.transactions.run(callback, () => this.pin());
  }

  /** Hand-written SQL with `$1, $2, ...` parameters, as a query like any other (lazy, thenable). */
  raw<TRow = Record<string, unknown>>(sql: string, params: readonly SqlValue[] = []): RawQuery<TRow, this> {
    return new RawQuery<TRow, this>(this, sql, params);
  }

  /**
   * Closes the engine. From the call on, new queries and transactions fail with `ENGINE_CLOSED`
   * (so does a query still waiting for a connection, and a query of an open transaction, which
   * then rolls back; a transaction whose callback is done still commits). Queries already running
   * get `CLOSE_GRACE_MS` to finish and settle as usual; then their connections are cut and they
   * reject with `ENGINE_CLOSED` (a write among them may or may not have been applied; an open
   * transaction is rolled back by the server). Resolves within about a second. Calling it again
   * returns the same promise.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  get isClosed(): boolean {
    return this.closing !== undefined;
  }

  private async shutDown(): Promise<void> {
    this.slots.refuseAll(engineClosed);
    const ended = this.pool.end().then(
      () => true,
      () => true,
    );
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS)));
    const finished = await Promise.race([ended, graceOver]);
    clearTimeout(timer);
    if (finished) return;
    // A query that never ends (or a transaction whose callback never does) must not hold close() forever.
    this.cut = true;
    await Promise.all([...this.checkedOut].map((client) => client.end().catch(() => undefined)));
  }

  /**
   * One query on a connection, given back as soon as the answer is in: to the next caller
   * waiting for one if there is one (see client-slots.ts), else to the pool.
   */
  private async executePooled(query: CompiledQuery): Promise<ExecutionResult> {
    const slot = await this.slots.acquire();
    const client = await this.slotConnection(slot);
    let reusable = true;
    try {
      return await executeOn(client, query, this.statementNames, false);
    } catch (error) {
      // A lost connection must not be used again; after a plain SQL error it is fine.
      reusable = !isConnectionLoss((error as PiccoError).cause ?? error);
      throw this.cut ? closedMidQuery() : error;
    } finally {
      const handedOver = reusable && !this.cut && slot.release(client);
      if (!handedOver) {
        slot.release();
        this.checkIn(client, !reusable);
      }
    }
  }

  /** The connection a slot comes with, or one from the pool; on failure the slot is given back. */
  private async slotConnection(slot: Slot<pg.PoolClient>): Promise<pg.PoolClient> {
    try {
      if (slot.connection === undefined) return await this.checkOut();
      if (this.closing !== undefined) {
        // Handed over just before close(): nothing new may start on it.
        this.checkIn(slot.connection, false);
        throw engineClosed();
      }
      return slot.connection;
    } catch (error) {
      slot.release();
      throw error;
    }
  }

  /** A top-level transaction's connection, held until `finish`. */
  private async pin(): Promise<TopLevelTarget<PinnedClient>> {
    const slot = await this.slots.acquire();
    const client = await this.slotConnection(slot);
    const releaseSlot = () => slot.release();
    const pinned = new PinnedClient(client, () => this.cut, this.statementNames);
    return {
      target: pinned,
      control: (sql) => pinned.control(sql),
      canRollBack: () => pinned.isUsable,
      finish: () => {
        this.checkedOut.delete(client);
        pinned.unpin();
        releaseSlot();
      },
    };
  }

  private async checkOut(): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      if (this.closing !== undefined) throw engineClosed();
      throw connectionFailed(error, this.path);
    }
    if (this.cut) {
      // Connected only after close() gave up waiting: nothing may run on it.
      client.release(true);
      throw engineClosed();
    }
    this.checkedOut.add(client);
    return client;
  }

  private checkIn(client: pg.PoolClient, destroy: boolean): void {
    this.checkedOut.delete(client);
    client.release(destroy);
  }
}
