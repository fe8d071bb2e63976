/**
 * The async transactions of one session: which one (if any) the current async context belongs
 * to, and, for an engine whose transactions share one connection (SQLite's writer), the lock a
 * top-level transaction holds on it for its whole life. Plain queries from outside queue behind
 * that lock so that they never slip into it. An engine with a pool of connections (PostgreSQL)
 * gives each top-level transaction a connection of its own and takes no lock.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Mutex } from './mutex.js';
import { TransactionScope, type EnterScope } from './transaction-scope.js';

export interface TopLevelTarget<Target> {
  readonly target: Target;
  /** Runs BEGIN / COMMIT / SAVEPOINT ... on the transaction's connection. */
  readonly control: (sql: string) => Promise<void>;
  /** False when the connection died and took its transaction with it. */
  readonly canRollBack: () => boolean;
  /** Called once the transaction has ended (committed, rolled back or failed): a pooled connection goes back. */
  readonly finish?: () => void;
}

export interface TransactionsOptions {
  /** The statement that opens a top-level transaction (`BEGIN IMMEDIATE` on SQLite, `BEGIN` on PostgreSQL). */
  readonly begin: string;
  /** True when every top-level transaction uses the same connection, so they must run one at a time. */
  readonly oneAtATime: boolean;
}

export class Transactions<Target> {
  /** Held by a top-level transaction from BEGIN to COMMIT/ROLLBACK (only when `oneAtATime`). */
  readonly lock = new Mutex();
  private readonly scopes = new AsyncLocalStorage<TransactionScope<Target>>();
  // No context can hold a scope before the first transaction: until then the hot paths skip the
  // AsyncLocalStorage lookup, which costs more than the rest of a runSync's dispatch.
  private used = false;
  private open = 0;

  constructor(private readonly options: TransactionsOptions) {}

  /** The transaction (or savepoint) the calling async context was created in, ended or not. */
  current(): TransactionScope<Target> | undefined {
    return this.used ? this.scopes.getStore() : undefined;
  }

  /** True while a top-level async transaction is open. */
  get isOpen(): boolean {
    return this.open > 0;
  }

  /**
   * A nested call becomes a savepoint of the current transaction; otherwise a new top-level one
   * on the connection `begin` gives (it may have to wait for one from a pool).
   */
  async run<T>(callback: () => T | PromiseLike<T>, begin: () => TopLevelTarget<Target> | Promise<TopLevelTarget<Target>>): Promise<T> {
    const current = this.current();
    // An ended scope refuses (`TRANSACTION_ENDED`) rather than start a transaction of its own.
    if (current !== undefined) return current.nested(callback);
    this.used = true;
    const release = this.options.oneAtATime ? await this.lock.acquire() : undefined;
    this.open++;
    try {
      const opened = begin();
      const { target, control, canRollBack, finish } = opened instanceof Promise ? await opened : opened;
      try {
        return await new TransactionScope(target, control, this.enter).runTopLevel(this.options.begin, callback, canRollBack);
      } finally {
        finish?.();
      }
    } finally {
      this.open--;
      release?.();
    }
  }

  // `async` + `await` inside the scope: a callback that returns a query (a thenable) instead of
  // awaiting it gets its `then` called here, in the scope, rather than outside where it would
  // queue behind this very transaction.
  private readonly enter: EnterScope<Target> = (scope, callback) => this.scopes.run(scope, async () => await callback());
}
