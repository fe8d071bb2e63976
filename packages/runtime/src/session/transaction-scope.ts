/**
 * The transaction an async callback runs in. `AsyncLocalStorage` carries the scope through
 * every `await` of the callback, so the queries it makes find the connection it pinned;
 * a nested `transaction()` becomes a savepoint of the same connection.
 */
import { Mutex } from './mutex.js';

export class TransactionScope<Target> {
  /** False once the transaction ended: stray continuations no longer join it. */
  active = true;
  // Savepoints of one level are serialized: two concurrent nested transactions must not interleave.
  private readonly nestedMutex = new Mutex();

  constructor(
    readonly target: Target,
    private readonly control: (sql: string) => Promise<void>,
    private readonly savepointNames: { next: number } = { next: 0 },
  ) {}

  /**
   * Runs `callback` as a whole transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK when the
   * callback throws or the COMMIT fails. `canRollBack` says whether there is still a transaction
   * to roll back (a dead worker took its transaction with it).
   */
  async runTopLevel<T>(
    callback: () => Promise<T>,
    enter: (scope: TransactionScope<Target>, callback: () => Promise<T>) => Promise<T>,
    canRollBack: () => boolean,
  ): Promise<T> {
    await this.control('BEGIN IMMEDIATE');
    try {
      const result = await enter(this, callback);
      this.active = false;
      await this.control('COMMIT');
      return result;
    } catch (error) {
      this.active = false;
      if (canRollBack()) await this.control('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Runs `callback` inside a savepoint; `enter` runs it with the child scope made current. */
  async nested<T>(callback: () => Promise<T>, enter: (scope: TransactionScope<Target>, callback: () => Promise<T>) => Promise<T>): Promise<T> {
    const release = await this.nestedMutex.acquire();
    const name = `picco_savepoint_${++this.savepointNames.next}`;
    const child = new TransactionScope(this.target, this.control, this.savepointNames);
    try {
      await this.control(`SAVEPOINT ${name}`);
      try {
        const result = await enter(child, callback);
        child.active = false;
        await this.control(`RELEASE ${name}`);
        return result;
      } catch (error) {
        child.active = false;
        await this.control(`ROLLBACK TO ${name}`).then(() => this.control(`RELEASE ${name}`)).catch(() => undefined);
        throw error;
      }
    } finally {
      release();
    }
  }
}
