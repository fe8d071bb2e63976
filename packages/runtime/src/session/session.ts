/**
 * A session is how one engine reaches its database: `InlineSession` runs everything on one
 * connection; `PooledSession` adds worker processes for async queries on a file database.
 */
import { PiccoError, PiccoErrorCode, type CompiledQuery, type ExecutionResult, type RunResult, type SqlValue } from '@picco/core';
import type { Connection } from '../connection/connection.js';
import { engineClosed, queryFailed } from '../connection/errors.js';

export interface Session {
  /**
   * The connection a synchronous query (`readOnly` or not) runs on now: the main thread's.
   * Throws instead where one must not run now (beside an async transaction: see each session).
   */
  syncConnection(readOnly: boolean): Connection;
  execute(query: CompiledQuery): Promise<ExecutionResult>;
  transaction<T>(callback: () => T | PromiseLike<T>): Promise<T>;
  transactionSync<T>(callback: () => T): T;
  close(): Promise<void>;
}

/** Runs a query on a connection now (with `params` as its values); SQLite's errors become `QUERY_FAILED`. */
export function executeNow(connection: Connection, query: CompiledQuery, params: readonly SqlValue[] = query.params): ExecutionResult {
  try {
    return connection.execute(query, params);
  } catch (error) {
    throw connection.db.open ? queryFailed(error, query) : engineClosed();
  }
}

/** `executeNow` for a statement that returns no rows: its counts. */
export function countsNow(connection: Connection, query: CompiledQuery, params: readonly SqlValue[]): RunResult {
  try {
    return connection.executeCounts(query, params);
  } catch (error) {
    throw connection.db.open ? queryFailed(error, query) : engineClosed();
  }
}

/** Same, as a settled promise: async callers get a rejection, never a throw. */
export function executeSettled(connection: Connection, query: CompiledQuery): Promise<ExecutionResult> {
  try {
    return Promise.resolve(connection.execute(query));
  } catch (error) {
    return Promise.reject(connection.db.open ? queryFailed(error, query) : engineClosed());
  }
}

/** `transactionSync` on one connection: BEGIN/COMMIT at the top, a savepoint when nested. */
export function runSyncTransaction<T>(connection: Connection, callback: () => T): T {
  const run = (): T => {
    const result = callback();
    if (isThenable(result)) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        'transactionSync() got a callback that returned a promise; its queries would run after the commit. ' +
          'Use `await DB.transaction(async () => ...)` for async work, or keep the callback synchronous (.runSync()).',
      );
    }
    return result;
  };
  const { db } = connection;
  if (db.inTransaction) return connection.atomically(run);
  control(connection, 'BEGIN IMMEDIATE');
  let result: T;
  try {
    result = run();
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  control(connection, 'COMMIT');
  return result;
}

export function control(connection: Connection, sql: string): void {
  executeNow(connection, { sql, params: [], mode: 'run', readOnly: false, safeIntegers: false, table: undefined });
}

export function controlQuery(sql: string): CompiledQuery {
  return { sql, params: [], mode: 'run', readOnly: false, safeIntegers: false, table: undefined };
}

function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
