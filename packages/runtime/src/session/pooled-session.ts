/**
 * A file database: synchronous queries on the main thread's connection, async ones on a pool
 * of worker processes (so the event loop never waits for SQLite, and a runaway query can be
 * killed). Reads go to any reader, or run at once on the main connection when their shape is
 * known to be cheap (see read-placement.ts); writes and transactions go to the writer, one
 * transaction at a time.
 */
import { PiccoError, PiccoErrorCode, Transactions, type CompiledQuery, type ExecutionResult } from '@picco/core';
import type { Connection } from '../connection/connection.js';
import type { DatabaseWorker, WorkerPool } from '../worker/worker-pool.js';
import type { ReadPlacement } from './read-placement.js';
import { controlQuery, executeSettled, runSyncTransaction, type Session } from './session.js';

export class PooledSession implements Session {
  private readonly transactions = new Transactions<DatabaseWorker>({ begin: 'BEGIN IMMEDIATE', oneAtATime: true });

  constructor(
    private readonly main: () => Connection,
    readonly pool: WorkerPool,
    /** Which reads run at once on the main connection (cheap shapes) rather than on a reader. */
    private readonly placement: ReadPlacement,
  ) {}

  syncConnection(readOnly: boolean): Connection {
    this.assertCanRunSync(readOnly);
    return this.main();
  }

  execute(query: CompiledQuery): Promise<ExecutionResult> {
    const scope = this.transactions.current();
    if (scope !== undefined) return scope.run(() => scope.target.send(query));
    if (query.readOnly) {
      const cheap = this.placement.inlineCandidate(query);
      if (cheap !== undefined) return this.placement.runInline(cheap, () => executeSettled(this.main(), query));
      return this.pool.reader().send(query);
    }
    const { lock } = this.transactions;
    if (!lock.busy) return this.pool.writer().send(query);
    return lock.acquire().then((release) => {
      // The writer runs messages in order: once sent, the write is ahead of any later transaction.
      const sent = this.pool.writer().send(query);
      release();
      return sent;
    });
  }

  transaction<T>(callback: () => T | PromiseLike<T>): Promise<T> {
    return this.transactions.run(callback, () => {
      const writer = this.pool.writer();
      return {
        target: writer,
        control: async (sql) => {
          await writer.send(controlQuery(sql));
        },
        // A dead writer took its transaction with it; there is nothing left to roll back.
        canRollBack: () => writer.isAlive,
      };
    });
  }

  transactionSync<T>(callback: () => T): T {
    this.assertCanRunSync(false);
    return runSyncTransaction(this.main(), callback);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /**
   * An async transaction lives on the writer process. A synchronous call runs on the main
   * thread's connection: inside the transaction it cannot join it, and from outside, a write
   * would wait for the very write lock the transaction holds (freezing the event loop for the
   * busy timeout). Refuse both at once. A read from outside needs no lock (WAL) and runs.
   */
  private assertCanRunSync(readOnly: boolean): void {
    const scope = this.transactions.current();
    if (scope !== undefined) {
      if (!scope.isOpen) scope.assertCanRunNow(); // throws TRANSACTION_ENDED
      throw new PiccoError(
        PiccoErrorCode.TRANSACTION_CONFLICT,
        'A synchronous query (.runSync() or transactionSync()) was called inside an async transaction on a file database. ' +
          'The transaction runs in a worker process and a synchronous query cannot join it: use `await query` inside `DB.transaction(async () => ...)`.',
      );
    }
    if (this.transactions.isOpen && !readOnly) {
      throw new PiccoError(
        PiccoErrorCode.TRANSACTION_CONFLICT,
        'A synchronous write (.runSync() or transactionSync()) was called while an async transaction holds the database\'s ' +
          'write lock; it would block the event loop until that transaction ends. Await the transaction first, or use the async ' +
          'form (await query), which waits its turn without blocking.',
      );
    }
  }
}
