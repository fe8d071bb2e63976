/**
 * One async transaction, or one savepoint inside it. `AsyncLocalStorage` (see transactions.ts)
 * carries the scope through every `await` of the callback, so the queries it makes find the
 * connection it pinned; a nested `transaction()` becomes a savepoint of the same connection.
 * Engine-neutral: it sends its control statements (BEGIN, SAVEPOINT, ...) through the engine's
 * `control` function and never touches a database itself.
 *
 * The rules that keep every acknowledged write where it was acknowledged:
 * - A scope holds its connection exclusively: while a savepoint of this scope is open, the
 *   scope's other queries (its concurrent siblings) wait for the savepoint to end, so a sibling
 *   write never lands inside a savepoint that later rolls back.
 * - Before COMMIT (or RELEASE), the scope drains: work the callback started and left queued
 *   (a nested transaction it did not await, a query waiting for one) runs first, inside it.
 * - Once ended, a scope captures nothing: a query made later from its async context (a timer or
 *   `.then` that outlived the callback) is refused with `TRANSACTION_ENDED`. Running it outside
 *   would deadlock whenever another transaction awaits it while holding the connection.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import { Mutex } from './mutex.js';

/** Runs `callback` with `scope` current; the callback's returned thenable is awaited inside the scope. */
export type EnterScope<Target> = <T>(scope: TransactionScope<Target>, callback: () => T | PromiseLike<T>) => Promise<T>;

export class TransactionScope<Target> {
  private ended = false;
  // Held by an open savepoint of this scope, and by the scope itself while it drains.
  private readonly gate = new Mutex();

  constructor(
    readonly target: Target,
    private readonly control: (sql: string) => Promise<void>,
    private readonly enter: EnterScope<Target>,
    private readonly savepointNames: { next: number } = { next: 0 },
  ) {}

  get isOpen(): boolean {
    return !this.ended;
  }

  /** Sends one query of this scope: at once, or once the savepoint open beside it has ended. */
  run<R>(send: () => Promise<R>): Promise<R> {
    if (this.ended) return Promise.reject(transactionEnded());
    if (!this.gate.busy) return send();
    return this.gate.acquire().then((release) => {
      try {
        if (this.ended) throw transactionEnded();
        return send();
      } finally {
        release();
      }
    });
  }

  /** A synchronous query of this scope cannot wait: refuse it when it would have to. */
  assertCanRunNow(): void {
    if (this.ended) throw transactionEnded();
    if (this.gate.busy) {
      throw new PiccoError(
        PiccoErrorCode.TRANSACTION_CONFLICT,
        'A synchronous query ran beside an open nested transaction (savepoint) of the same transaction: it would run inside ' +
          'that savepoint and be rolled back with it. Await the nested transaction first, or use the async form (await query).',
      );
    }
  }

  /**
   * Runs `callback` as a whole transaction: `begin` (SQLite's BEGIN IMMEDIATE, PostgreSQL's
   * BEGIN), then COMMIT, or ROLLBACK when the callback throws or the COMMIT fails. `canRollBack`
   * says whether there is still a transaction to roll back (a dead connection took it with it).
   */
  async runTopLevel<T>(begin: string, callback: () => T | PromiseLike<T>, canRollBack: () => boolean): Promise<T> {
    await this.control(begin);
    let result: T;
    try {
      result = await this.enter(this, callback);
      await this.drainAndEnd();
      await this.control('COMMIT');
    } catch (error) {
      await this.endAndDrain();
      if (canRollBack()) await this.control('ROLLBACK').catch(() => undefined);
      throw error;
    }
    return result;
  }

  /** Runs `callback` inside a savepoint of this scope, with the child scope made current. */
  async nested<T>(callback: () => T | PromiseLike<T>): Promise<T> {
    if (this.ended) throw transactionEnded();
    const release = await this.gate.acquire();
    try {
      if (this.ended) throw transactionEnded();
      const name = `picco_savepoint_${++this.savepointNames.next}`;
      const child = new TransactionScope(this.target, this.control, this.enter, this.savepointNames);
      await this.control(`SAVEPOINT ${name}`);
      let result: T;
      try {
        result = await this.enter(child, callback);
        await child.drainAndEnd();
        await this.control(`RELEASE ${name}`);
      } catch (error) {
        await child.endAndDrain();
        await this.control(`ROLLBACK TO ${name}`)
          .then(() => this.control(`RELEASE ${name}`))
          .catch(() => undefined);
        throw error;
      }
      return result;
    } finally {
      release();
    }
  }

  /** Success: work queued before this point runs inside the scope; anything later is refused. */
  private async drainAndEnd(): Promise<void> {
    const release = await this.gate.acquire();
    this.ended = true;
    release();
  }

  /** Failure: queued queries are refused (they would be rolled back); an open savepoint finishes first. */
  private async endAndDrain(): Promise<void> {
    this.ended = true;
    const release = await this.gate.acquire();
    release();
  }
}

export function transactionEnded(): PiccoError {
  return new PiccoError(
    PiccoErrorCode.TRANSACTION_ENDED,
    'This query was started from inside a transaction that has already ended (a timer, callback or .then created in the ' +
      'transaction outlived it), so it was not run. Await the work inside the transaction callback, or start it after ' +
      'the transaction from code that is not part of it.',
  );
}
