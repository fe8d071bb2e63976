/**
 * Every query on one connection: the engine's main-thread connection. Used for shared-memory
 * databases (one connection is the database) and for file databases with `workers: 0`.
 *
 * Async queries run in call order. A plain async query runs at once when nothing waits; an
 * async transaction holds the connection, and queries from outside it wait their turn.
 */
import { PiccoError, PiccoErrorCode, Transactions, type CompiledQuery, type ExecutionResult } from '@picco/core';
import type { Connection } from '../connection/connection.js';
import { control, executeNow, executeSettled, runSyncTransaction, type Session } from './session.js';

export class InlineSession implements Session {
  private readonly transactions = new Transactions<Connection>({ begin: 'BEGIN IMMEDIATE', oneAtATime: true });

  constructor(readonly connection: Connection) {}

  syncConnection(): Connection {
    this.assertCanRunSync();
    return this.connection;
  }

  execute(query: CompiledQuery): Promise<ExecutionResult> {
    const scope = this.transactions.current();
    if (scope !== undefined) return scope.run(() => executeSettled(this.connection, query));
    const { lock } = this.transactions;
    if (!lock.busy) return executeSettled(this.connection, query);
    return lock.acquire().then((release) => {
      try {
        return executeNow(this.connection, query);
      } finally {
        release();
      }
    });
  }

  transaction<T>(callback: () => T | PromiseLike<T>): Promise<T> {
    return this.transactions.run(callback, () => ({
      target: this.connection,
      control: async (sql) => control(this.connection, sql),
      canRollBack: () => this.connection.db.open && this.connection.db.inTransaction,
    }));
  }

  transactionSync<T>(callback: () => T): T {
    this.assertCanRunSync();
    return runSyncTransaction(this.connection, callback);
  }

  async close(): Promise<void> {
    this.connection.close();
  }

  /**
   * A synchronous call cannot wait for an open async transaction to finish, and running it
   * anyway would slip it into that transaction (and its rollback). Inside the transaction it
   * joins, unless a savepoint is open beside it.
   */
  private assertCanRunSync(): void {
    const scope = this.transactions.current();
    if (scope !== undefined) return scope.assertCanRunNow();
    if (this.transactions.isOpen) {
      throw new PiccoError(
        PiccoErrorCode.TRANSACTION_CONFLICT,
        'A synchronous query was called while an async transaction holds this database, from outside that transaction. ' +
          'Await the transaction first, run the query inside the transaction callback, or use the async form (await query).',
      );
    }
  }
}
