/**
 * The worker pool under concurrency and fault: nothing lost, the event loop free, a dead worker
 * reported and replaced.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineTable, integer, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { settlesWithin } from '../../../test/suites/timing.js';
import { temporaryFolder } from './engine-configs.js';

// A write that never ends: counting an endless recursive CTE (close() kills its worker).
const ENDLESS_WRITE =
  "INSERT INTO events (kind, amount) SELECT 'endless', count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c)";

// A query that keeps SQLite busy for a while (hundreds of milliseconds) inside one statement.
const SLOW_QUERY = 'WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000) SELECT count(*) AS c FROM n';

let folder: ReturnType<typeof temporaryFolder>;
let engine: SQLiteEngine;
beforeEach(() => {
  folder = temporaryFolder();
  engine = new SQLiteEngine({ path: join(folder.folder, 'concurrent.db'), workers: 3 });
});
afterEach(async () => {
  await engine.close();
  folder.remove();
});

function eventsTable() {
  return defineTable('events', { id: serial(), kind: text(), amount: integer() }, { db: engine });
}

describe('concurrent async writes on a file database', () => {
  it('loses none of thousands of concurrent inserts, and sync and async counts agree', async () => {
    const Events = eventsTable();
    await Events.createTable();
    const total = 3000;
    const results = await Promise.all(Array.from({ length: total }, (_, index) => Events.insert({ kind: index % 2 === 0 ? 'even' : 'odd', amount: index })));
    expect(results.every((result) => result.changes === 1)).toBe(true);
    expect(new Set(results.map((result) => Number(result.lastInsertRowid))).size).toBe(total);
    expect(await Events.count()).toBe(total);
    expect(Events.count().runSync()).toBe(total);
    const [sum] = await engine.raw<{ s: number }>('SELECT sum(amount) AS s FROM events');
    expect(sum!.s).toBe((total * (total - 1)) / 2);
  });

  it('interleaves concurrent transactions without losing or mixing their writes', async () => {
    const Events = eventsTable();
    await Events.createTable();
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        engine
          .transaction(async () => {
            await Events.insert({ kind: `tx${index}`, amount: 1 });
            await Events.insert({ kind: `tx${index}`, amount: 2 });
            if (index % 4 === 0) throw new Error('roll back this one');
          })
          .catch(() => undefined),
      ),
    );
    expect(await Events.count()).toBe(15 * 2);
    expect(await Events.count().where(Events.kind.eq('tx0'))).toBe(0);
    expect(await Events.count().where(Events.kind.eq('tx1'))).toBe(2);
  });

  it('keeps the event loop running during a long query', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    const [row] = await engine.raw<{ c: number }>(SLOW_QUERY);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(row!.c).toBe(3_000_000);
    // A blocked loop would tick at most once; a free one ticks about every 5 ms. Generous bound.
    expect(ticks).toBeGreaterThanOrEqual(Math.min(5, Math.floor(elapsed / 5 / 4)));
    expect(ticks).toBeGreaterThan(1);
  });
});

describe('requests batched per event-loop turn', () => {
  it('settles each query of one batch on its own: a failure in the middle touches nobody else', async () => {
    const Events = eventsTable();
    await Events.createTable();
    await Events.insert({ kind: 'unique', amount: 0 });
    await engine.raw('CREATE UNIQUE INDEX events_kind ON events (kind)');
    // All issued in one turn: they travel to the writer as one batch.
    const outcomes = await Promise.allSettled([
      Events.insert({ kind: 'a', amount: 1 }),
      Events.insert({ kind: 'unique', amount: 2 }),
      engine.raw('SELECT * FROM no_such_table').run(),
      Events.insert({ kind: 'b', amount: 3 }),
      Events.count(),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { code: PiccoErrorCode.QUERY_FAILED, sqliteCode: 'SQLITE_CONSTRAINT_UNIQUE' } });
    expect(outcomes[2]).toMatchObject({ reason: { code: PiccoErrorCode.QUERY_FAILED, message: expect.stringContaining('no_such_table') } });
    expect((await Events.select(Events.kind).orderBy(Events.id)).map((row) => row.kind)).toEqual(['unique', 'a', 'b']);
  });

  it('answers a finished query at once, even when the next query of its batch never ends', async () => {
    const Events = eventsTable();
    await Events.createTable();
    // Issued in one turn: both go to the writer in one message, the insert first.
    const inserted = Events.insert({ kind: 'before', amount: 1 }).run();
    const endless = engine.raw(ENDLESS_WRITE).run();
    const endlessOutcome = endless.then(
      () => 'finished',
      (error: { code?: unknown }) => error.code,
    );
    // The insert is done in microseconds; its answer must not wait for the write after it.
    expect(await settlesWithin(inserted, 5000)).toMatchObject({ changes: 1 });
    await engine.close();
    expect(await endlessOutcome).toBe(PiccoErrorCode.ENGINE_CLOSED);
  });

  it('runs the writes of later turns after those still waiting, in call order', async () => {
    const Events = eventsTable();
    await Events.createTable();
    // Twenty turns of 50 inserts: later batches reach the writer while earlier ones still run.
    const inserts: Promise<{ lastInsertRowid: number | bigint }>[] = [];
    for (let turn = 0; turn < 20; turn++) {
      for (let index = 0; index < 50; index++) inserts.push(Events.insert({ kind: 'turns', amount: turn * 50 + index }).run());
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await Promise.all(inserts);
    expect(results.map((result) => Number(result.lastInsertRowid))).toEqual(Array.from({ length: 1000 }, (_, index) => index + 1));
    const amounts = await Events.select(Events.amount).orderBy(Events.id);
    expect(amounts.map((row) => row.amount)).toEqual(Array.from({ length: 1000 }, (_, index) => index));
  });

  it('applies the writes of one turn in call order, and answers big batches in full', async () => {
    const Events = eventsTable();
    await Events.createTable();
    const count = 1000;
    const results = await Promise.all(Array.from({ length: count }, (_, index) => Events.insert({ kind: 'ordered', amount: index })));
    expect(results.map((result) => Number(result.lastInsertRowid))).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    const reads = await Promise.all(Array.from({ length: count }, (_, index) => Events.select(Events.amount).where(Events.id.eq(index + 1)).first()));
    expect(reads.map((row) => row?.amount)).toEqual(Array.from({ length: count }, (_, index) => index));
  });
});

describe('a worker that dies', () => {
  it('rejects its in-flight query with WORKER_CRASHED, is replaced, and the engine keeps working', async () => {
    const Events = eventsTable();
    await Events.createTable();
    await Events.insert({ kind: 'before', amount: 1 });
    const slow = engine.raw(SLOW_QUERY).run();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const busy = engine.workerProcesses().find((worker) => worker.inFlight > 0);
    expect(busy).toBeDefined();
    await busy!.terminate();
    await expect(slow).rejects.toMatchObject({ code: PiccoErrorCode.WORKER_CRASHED });
    expect(engine.workerProcesses()).not.toContain(busy);
    expect(engine.workerProcesses().every((worker) => worker.isAlive)).toBe(true);
    await Events.insert({ kind: 'after', amount: 2 });
    expect(await Events.count()).toBe(2);
  });

  it('rolls back the transaction of a writer that dies mid-transaction', async () => {
    const Events = eventsTable();
    await Events.createTable();
    const writer = engine.workerProcesses()[0]!;
    const transaction = engine.transaction(async () => {
      await Events.insert({ kind: 'doomed', amount: 1 });
      await writer.terminate();
      await Events.insert({ kind: 'never', amount: 2 });
    });
    await expect(transaction).rejects.toMatchObject({ code: PiccoErrorCode.WORKER_CRASHED });
    expect(await Events.count()).toBe(0);
    await Events.insert({ kind: 'after', amount: 3 });
    expect(Events.count().runSync()).toBe(1);
  });
});
