/**
 * Group commit in the writer process: plain writes waiting together in its queue (each sent
 * outside any transaction, each its own transaction for its caller) run in one transaction,
 * and their answers leave only once it has committed.
 *
 * On a WAL file a write alone pays for its own transaction: the write lock, its pages appended
 * to the log, the commit. Run together, 64 inserts share one (BENCHMARKS.md: 256 async callers
 * inserting). What each caller sees does not change:
 * - its answer (or error) is what its statement did, as run alone: a statement's failure inside
 *   a transaction undoes that statement only (SQLite's statement journal), as in autocommit;
 * - an answer is sent only after COMMIT, so an acknowledged write is durable as a lone one, and
 *   visible to every read that follows it;
 * - when the group cannot stand as a whole, nothing of it stays and every member runs again alone,
 *   in order: a failure that rolled back the whole transaction (a trigger's RAISE(ROLLBACK), an
 *   `OR ROLLBACK` conflict), or a COMMIT that failed (a deferred foreign key, a full disk).
 *
 * Only Picco's own table writes join (`table` set; raw SQL might be `BEGIN`, `COMMIT`, or
 * change per-connection settings), only statements known to run quickly here (a slow one would
 * hold the others' answers), never inside a transaction (an async transaction's statements run
 * in it), and at most `MAX_GROUP` of them or `MAX_GROUP_MS` of work.
 */
import type { CompiledQuery } from '@picco/core';
import type Database from 'better-sqlite3';
import type { Connection, TransferResult } from '../connection/connection.js';
import type { Request } from './request-queue.js';

/** Writes one group commits at most. */
export const MAX_GROUP = 64;
/** A group takes no more members once it has run this long (milliseconds). */
export const MAX_GROUP_MS = 1;

/** A member's outcome: what it returned, or what it threw; and how long it ran (microseconds). */
export type Outcome = { readonly failed: false; readonly result: TransferResult; readonly micros: number } | { readonly failed: true; readonly error: unknown; readonly micros: number };

/** Whether a request may join a write group (given it is known to run quickly). */
export function joinsWriteGroup(query: CompiledQuery): boolean {
  return !query.readOnly && query.table !== undefined && (query.mode === 'run' || query.mode === 'all' || query.mode === 'first');
}

export class WriteGroups {
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;

  constructor(
    private readonly connection: Connection,
    /** Runs one query on `connection` (outside or inside the group's transaction) and times it. */
    private readonly alone: (query: CompiledQuery) => Outcome,
  ) {
    const { db } = connection;
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** True when a group may start now: no transaction is open on the connection. */
  get canStart(): boolean {
    return this.connection.db.open && !this.connection.db.inTransaction;
  }

  /**
   * Runs `first` and the requests `more` offers, in order, as one transaction, and returns them
   * with their outcomes. `more` gives the next waiting request if it may join (and takes it from
   * the queue), else undefined; it is asked while the group has room and time.
   */
  run(first: Request, more: () => Request | undefined): { members: Request[]; outcomes: Outcome[] } {
    const members = [first];
    const started = performance.now();
    try {
      this.begin.run();
    } catch {
      // No transaction could open (the write lock stayed busy): the member runs alone and meets
      // the same error there, as it would have without a group.
      return { members, outcomes: [this.alone(first.query)] };
    }
    const outcomes: Outcome[] = [];
    for (let index = 0; ; index++) {
      const outcome = this.alone(members[index]!.query);
      outcomes.push(outcome);
      if (outcome.failed && !this.connection.db.inTransaction) {
        // Its failure rolled back the whole transaction (it fails so alone too), undoing the
        // members before it: they run again, alone. The requests after it were not taken.
        for (let before = 0; before < index; before++) outcomes[before] = this.alone(members[before]!.query);
        return { members, outcomes };
      }
      if (members.length >= MAX_GROUP || performance.now() - started > MAX_GROUP_MS) break;
      const next = more();
      if (next === undefined) break;
      members.push(next);
    }
    try {
      this.commit.run();
    } catch (commitError) {
      // Nothing of the group stays: every member runs again alone and meets its own outcome.
      try {
        if (this.connection.db.inTransaction) this.rollback.run();
      } catch {
        // Checked below.
      }
      // Still inside the transaction (the rollback failed too): a run now would join it and be
      // answered without being committed. Every member fails with the COMMIT's error instead.
      if (this.connection.db.inTransaction) return { members, outcomes: members.map(() => ({ failed: true, error: commitError, micros: 0 })) };
      return { members, outcomes: members.map((member) => this.alone(member.query)) };
    }
    return { members, outcomes };
  }
}
