/**
 * The worker processes of a file engine, each owning one connection (see database-worker.ts).
 * Worker 0 is the writer: every async write goes to it, so writes are serialized by its message
 * queue and never race for SQLite's write lock. The others read (WAL lets them read while the
 * writer writes).
 *
 * Workers start on demand: the writer with the first async write, a reader when a read finds
 * every started reader busy. A program that only runs synchronous queries starts none. A worker
 * that dies rejects its in-flight queries with `WORKER_CRASHED`; the next query that needs it
 * starts a new one (never a restart loop: one start per query at most).
 */
import type { CompiledQuery } from '@picco/core';
import type { OpenOptions } from '../connection/open-options.js';
import { engineClosed } from '../connection/errors.js';
import { DatabaseWorker } from './database-worker.js';

export { DatabaseWorker } from './database-worker.js';

/**
 * How long `close()` lets queries already in flight finish before killing their workers. Bounded
 * so that close() always ends (within about this long, plus the time to reap the processes),
 * even during a query that never would.
 */
export const CLOSE_GRACE_MS = 1000;

export class WorkerPool {
  /** Index 0: the writer; the rest: readers. Empty until needed, and again after a crash. */
  private readonly slots: (DatabaseWorker | undefined)[];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly size: number,
    private readonly open: OpenOptions,
    /** Told how long each query ran in its worker (see `DatabaseWorker`). */
    private readonly onCost?: (query: CompiledQuery, micros: number) => void,
  ) {
    this.slots = Array.from({ length: size }, () => undefined);
  }

  /** The one worker that runs async writes and transactions. */
  writer(): DatabaseWorker {
    return this.at(0);
  }

  /**
   * An idle reader if one has started; else a new one if there is room; else the least busy (the
   * writer too when it is the only worker).
   */
  reader(): DatabaseWorker {
    if (this.size === 1) return this.at(0);
    let leastBusy: DatabaseWorker | undefined;
    let free = -1;
    for (let index = 1; index < this.size; index++) {
      const worker = this.slots[index];
      if (worker === undefined) {
        if (free === -1) free = index;
      } else if (worker.inFlight === 0) {
        return worker;
      } else if (leastBusy === undefined || worker.inFlight < leastBusy.inFlight) {
        leastBusy = worker;
      }
    }
    return free !== -1 ? this.at(free) : leastBusy!;
  }

  /** The workers started and not crashed (after close(), the ones it closed), for diagnostics and fault tests. */
  list(): readonly DatabaseWorker[] {
    return this.slots.filter((worker) => worker !== undefined);
  }

  /** See `CLOSE_GRACE_MS` and `DatabaseWorker.close`. Calling it again returns the same promise. */
  close(): Promise<void> {
    this.closing ??= Promise.all(this.list().map((worker) => worker.close(CLOSE_GRACE_MS))).then(() => undefined);
    return this.closing;
  }

  private at(index: number): DatabaseWorker {
    if (this.closing !== undefined) throw engineClosed();
    return (this.slots[index] ??= new DatabaseWorker(this.open, (dead) => {
      // After close() the dead stay listed, so that a caller can see them gone.
      if (this.closing === undefined && this.slots[index] === dead) this.slots[index] = undefined;
    }, this.onCost));
  }
}
