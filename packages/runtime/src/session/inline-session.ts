/**
 * Every query on one connection: the engine's main-thread connection. Used for shared-memory
 * databases (one connection is the database) and for file databases with `workers: 0`.
 *
 * Async queries run in call order. A plain async query runs at once when nothing waits; an
 * async transaction holds the connection, and queries from outside it wait their turn.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { PiccoError, PiccoErrorCode, type CompiledQuery, type ExecutionResult } from '@picco/core';
import type { Connection } from '../connection/connection.js';
import { Mutex } from './mutex.js';
import { control, executeNow, executeSettled, runSyncTransaction, type Session } from './session.js';
import { TransactionScope } from './transaction-scope.js';

export class InlineSession implements Session {
  private readonly scopes = new AsyncLocalStorage<TransactionScope<Connection>>();
  private readonly mutex = new Mutex();
  private asyncTransactionOpen = false;

  constructor(readonly connection: Connection) {}

  executeSync(query: CompiledQuery): ExecutionResult {
    this.assertNotInsideOthersTransaction();
    return executeNow(this.connection, query);
  }

  execute(query: CompiledQuery): Promise<ExecutionResult> {
    // The cheap test first: the AsyncLocalStorage lookup is needed only while the connection is held.
    if (!this.mutex.busy || this.scopes.getStore()?.active === true) return executeSettled(this.connection, query);
    return this.mutex.acquire().then((release) => {
      try {
        return executeNow(this.connection, query);
      } finally {
        release();
      }
    });
  }

  async transaction<T>(callback: () => Promise<T>): Promise<T> {
    const current = this.scopes.getStore();
    if (current?.active === true) return current.nested(callback, (scope, inner) => this.scopes.run(scope, inner));
    const release = await this.mutex.acquire();
    const scope = new TransactionScope(this.connection, async (sql) => control(this.connection, sql));
    this.asyncTransactionOpen = true;
    try {
      return await scope.runTopLevel(callback, (current, inner) => this.scopes.run(current, inner), () => this.connection.db.inTransaction);
    } finally {
      this.asyncTransactionOpen = false;
      release();
    }
  }

  transactionSync<T>(callback: () => T): T {
    this.assertNotInsideOthersTransaction();
    return runSyncTransaction(this.connection, callback);
  }

  async close(): Promise<void> {
    this.connection.close();
  }

  /**
   * A synchronous call cannot wait for an open async transaction to finish, and running it
   * anyway would slip it into that transaction (and its rollback). Refuse instead.
   */
  private assertNotInsideOthersTransaction(): void {
    if (this.asyncTransactionOpen && this.scopes.getStore()?.active !== true) {
      throw new PiccoError(
        PiccoErrorCode.TRANSACTION_CONFLICT,
        'A synchronous query was called while an async transaction holds this database, from outside that transaction. ' +
          'Await the transaction first, run the query inside the transaction callback, or use the async form (await query).',
      );
    }
  }
}
