/**
 * A file database: synchronous queries on the main thread's connection, async ones on a pool
 * of worker threads (so the event loop never waits for SQLite). Reads go to any reader; writes
 * and transactions go to the writer, one transaction at a time.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { PiccoError, PiccoErrorCode, type CompiledQuery, type ExecutionResult } from '@picco/core';
import type { Connection } from '../connection/connection.js';
import type { DatabaseWorker, WorkerPool } from '../worker/worker-pool.js';
import { Mutex } from './mutex.js';
import { controlQuery, executeNow, runSyncTransaction, type Session } from './session.js';
import { TransactionScope } from './transaction-scope.js';

export class PooledSession implements Session {
  private readonly scopes = new AsyncLocalStorage<TransactionScope<DatabaseWorker>>();
  // Held by a transaction for its whole life; plain writes queue behind it so that they
  // never slip into it.
  private readonly writerMutex = new Mutex();
  // True while an async transaction runs. No scope can be active otherwise, so the hot paths
  // skip the AsyncLocalStorage lookup (which costs more than the rest of a runSync's dispatch
  // once ALS is enabled) unless a transaction is open.
  private asyncTransactionOpen = false;

  constructor(
    private readonly main: () => Connection,
    readonly pool: WorkerPool,
  ) {}

  executeSync(query: CompiledQuery): ExecutionResult {
    this.refuseInsideAsyncTransaction();
    return executeNow(this.main(), query);
  }

  execute(query: CompiledQuery): Promise<ExecutionResult> {
    const scope = this.asyncTransactionOpen ? this.scopes.getStore() : undefined;
    if (scope?.active === true) return scope.target.send(query);
    if (query.readOnly) return this.pool.reader().send(query);
    if (!this.writerMutex.busy) return this.pool.writer().send(query);
    return this.writerMutex.acquire().then((release) => {
      // The writer runs messages in order: once sent, the write is ahead of any later transaction.
      const sent = this.pool.writer().send(query);
      release();
      return sent;
    });
  }

  async transaction<T>(callback: () => Promise<T>): Promise<T> {
    const current = this.scopes.getStore();
    if (current?.active === true) return current.nested(callback, (scope, inner) => this.scopes.run(scope, inner));
    const release = await this.writerMutex.acquire();
    this.asyncTransactionOpen = true;
    try {
      const writer = this.pool.writer();
      const scope = new TransactionScope(writer, async (sql) => {
        await writer.send(controlQuery(sql));
      });
      // A dead writer took its transaction with it; there is nothing left to roll back.
      return await scope.runTopLevel(callback, (current, inner) => this.scopes.run(current, inner), () => writer.isAlive);
    } finally {
      this.asyncTransactionOpen = false;
      release();
    }
  }

  transactionSync<T>(callback: () => T): T {
    this.refuseInsideAsyncTransaction();
    return runSyncTransaction(this.main(), callback);
  }

  /**
   * The async transaction lives on the writer thread; a synchronous call runs on the main
   * thread's connection, outside it, and would wait for the very write lock the transaction
   * holds. Refuse instead of silently escaping the transaction (or blocking until timeout).
   */
  private refuseInsideAsyncTransaction(): void {
    if (this.asyncTransactionOpen && this.scopes.getStore()?.active === true) {
      throw new PiccoError(
        PiccoErrorCode.TRANSACTION_CONFLICT,
        'A synchronous query (.runSync() or transactionSync()) was called inside an async transaction on a file database. ' +
          'The transaction runs on a worker thread and a synchronous query cannot join it: use `await query` inside `DB.transaction(async () => ...)`.',
      );
    }
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
