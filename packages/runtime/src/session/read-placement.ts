/**
 * Where a pooled engine runs an async read: on a reader process (the default), or at once on
 * the main connection when its shape is known to be cheap.
 *
 * Why: a round trip to a worker process costs tens of microseconds on a busy machine (two
 * system calls and two wake-ups), many times a point select's own cost (~1-3 µs). A caller
 * awaiting one point select at a time got ~0.16x of inline throughput. Running such a read on the
 * main thread holds the event loop for about as long as the round trip's own bookkeeping would.
 *
 * The promise that a long query never stalls the event loop is kept by running inline only what
 * has been seen to be cheap and cannot scan a table:
 * - a statement shape of Picco's compiler (raw SQL always goes to the pool: its cost is anyone's
 *   guess), read-only;
 * - whose query plan (EXPLAIN QUERY PLAN, asked once per shape on the main connection) has only
 *   lookups that find at most one row each: every step a SEARCH by equality on the rowid or on
 *   every column of a UNIQUE index (no full scan, no range, no non-unique index, no temporary
 *   b-tree for sorting, no subquery). A range or a non-unique index is cheap for some values and
 *   reads the whole table for others, so no number of cheap runs makes it safe;
 * - that ran at least `MIN_POOL_RUNS` times on the pool, and whose runs (on the pool, timed in
 *   the worker, and inline) stay within `SOFT_BUDGET_US`, but for rare outliers: on a busy machine
 *   any process can be descheduled in the middle of a 2 µs query, and a shape's first run on a
 *   fresh worker prepares its statement and reads its pages, so one slow run proves nothing; a
 *   shape stays inline while at most one run in `OUTLIER_SHARE` (or just one) is over the soft budget;
 * - and took longer than `HARD_BUDGET_US` fewer than `HARD_STRIKES` times: then (a value that
 *   matches far more rows than those before, twice) the shape goes back to the pool for good. Not
 *   at the first such run: wall time is all a worker can cheaply measure, and on a loaded machine
 *   a process descheduled for 20 ms in the middle of a point select is not rare (seen in
 *   `pnpm bench` at a load average of 10 on 2 cores); two of a cheap shape's runs are. So a
 *   lookup shape can hold the event loop past the soft budget only for a few runs, and past the
 *   hard one at most twice (a shape measured slow on its first pool runs never runs inline).
 *
 * What a read sees does not change: every query outside a transaction is its own read snapshot
 * in WAL mode, on any connection, so a write acknowledged by the writer process is visible to
 * the main connection's next read exactly as to a reader's. Reads inside an async transaction
 * never get here (they run on the writer, in the transaction); a read made while the main
 * connection is itself inside a transaction (`transactionSync`) goes to the pool, which cannot
 * see that transaction's uncommitted writes, as before.
 */
import { performance } from 'node:perf_hooks';
import type { CompiledQuery, StatementMemo } from '@picco/core';
import type { Connection } from '../connection/connection.js';

/** Pool runs of a shape before it may run inline. */
export const MIN_POOL_RUNS = 3;
/** What a cheap read takes (microseconds); a point select takes 1-3 µs. */
export const SOFT_BUDGET_US = 500;
/** At most one run in this many may go over the soft budget. */
export const OUTLIER_SHARE = 16;
/** Runs longer than this (microseconds), `HARD_STRIKES` of them, send the shape to the pool for good. */
export const HARD_BUDGET_US = 20_000;
export const HARD_STRIKES = 2;
/** Past this many runs the counts are halved, so that the share reflects recent runs. */
const WINDOW = 1024;

interface ShapeCost {
  runs: number;
  slowRuns: number;
  /** Runs over the hard budget; `HARD_STRIKES` of them and the shape is the pool's for good. */
  strikes: number;
  /** Whether every step of the plan finds at most one row; `undefined` until asked. */
  singleRowLookups: boolean | undefined;
}

function record(cost: ShapeCost, micros: number): void {
  if (micros > HARD_BUDGET_US) cost.strikes++;
  if (micros > SOFT_BUDGET_US) cost.slowRuns++;
  if (++cost.runs >= WINDOW) {
    cost.runs >>= 1;
    cost.slowRuns >>= 1;
  }
}

export class ReadPlacement {
  private readonly shapes = new WeakMap<StatementMemo, ShapeCost>();

  constructor(private readonly main: () => Connection) {}

  /** What a worker measured for a query it ran. */
  readonly observe = (query: CompiledQuery, micros: number): void => {
    const memo = query.statementMemo;
    if (memo === undefined || !query.readOnly) return;
    let cost = this.shapes.get(memo);
    if (cost === undefined) {
      cost = { runs: 0, slowRuns: 0, strikes: 0, singleRowLookups: undefined };
      this.shapes.set(memo, cost);
    }
    record(cost, micros);
  };

  /** The cost record of a read that may run inline now, or `undefined` for the pool. */
  inlineCandidate(query: CompiledQuery): ShapeCost | undefined {
    const memo = query.statementMemo;
    if (memo === undefined) return undefined;
    const cost = this.shapes.get(memo);
    if (cost === undefined || cost.strikes >= HARD_STRIKES || cost.runs < MIN_POOL_RUNS) return undefined;
    // One slow run is forgiven: a shape's first run on a fresh worker prepares its statement and reads its pages from disk.
    if (cost.slowRuns > 1 && cost.slowRuns * OUTLIER_SHARE > cost.runs) return undefined;
    const connection = this.main();
    // Inside a sync transaction (or a savepoint) the main connection would read its uncommitted writes.
    if (connection.db.inTransaction) return undefined;
    cost.singleRowLookups ??= singleRowLookupsOnly(connection, query);
    return cost.singleRowLookups ? cost : undefined;
  }

  /** Runs `query` on the main connection, timing it as the workers do. */
  runInline<T>(cost: ShapeCost, run: () => T): T {
    const started = performance.now();
    try {
      return run();
    } finally {
      record(cost, (performance.now() - started) * 1000);
    }
  }
}

/** One step of a plan: `SEARCH band USING INTEGER PRIMARY KEY (rowid=?)`, `SEARCH m USING COVERING INDEX name_idx (a=? AND b=?) LEFT-JOIN`. */
const SEARCH_STEP = /^SEARCH \S+(?: AS \S+)? USING (?:(INTEGER PRIMARY KEY)|(?:COVERING )?INDEX (\S+)) \(([^()]*)\)(?: LEFT-JOIN)?$/;
/** One term of a lookup: `column=?` (a range shows as `column>?`, `column<?`, ...). */
const EQUALITY = /^[^<>=!]+=\?$/;

/**
 * Whether every step of the statement's plan finds at most one row: a SEARCH by equality on the
 * rowid, or on all the columns of a UNIQUE index. (An `IN (?, ?)` list shows as one equality:
 * its length is part of the shape, so it stays bounded too.)
 */
function singleRowLookupsOnly(connection: Connection, query: CompiledQuery): boolean {
  try {
    const steps = connection.db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as { detail: string }[];
    return steps.length > 0 && steps.every((step) => findsOneRow(connection, step.detail));
  } catch {
    return false;
  }
}

function findsOneRow(connection: Connection, detail: string): boolean {
  const match = SEARCH_STEP.exec(detail);
  if (match === null) return false;
  const [, rowid, index, terms] = match;
  const equalities = terms!.split(' AND ');
  if (!equalities.every((term) => EQUALITY.test(term))) return false;
  if (rowid !== undefined) return true;
  return uniqueIndexColumns(connection, index!) === equalities.length;
}

/** How many columns a UNIQUE index has; `undefined` for an index that is not unique (or unknown). */
function uniqueIndexColumns(connection: Connection, index: string): number | undefined {
  const owner = connection.db.prepare(`SELECT tbl_name AS tableName FROM sqlite_schema WHERE type = 'index' AND name = ?`).get(index) as { tableName: string } | undefined;
  if (owner === undefined) return undefined;
  const indexes = connection.db.prepare('SELECT name, "unique" FROM pragma_index_list(?)').all(owner.tableName) as { name: string; unique: number }[];
  if (!indexes.some((entry) => entry.name === index && entry.unique === 1)) return undefined;
  const columns = connection.db.prepare('SELECT count(*) AS count FROM pragma_index_info(?)').get(index) as { count: number };
  return columns.count;
}
