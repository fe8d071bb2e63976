/**
 * What an async read on a pooled file engine sees, wherever the engine chooses to run it (a
 * reader process, or the main connection for a cheap read shape): every write acknowledged
 * before the read was made, never a write of a transaction that has not committed (async or
 * sync), and inside an async transaction that transaction's own writes. Each case runs the same
 * read shape many times, so that a shape the engine learns is cheap is covered too.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineTable, integer, param, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { temporaryFolder } from './engine-configs.js';

let folder: ReturnType<typeof temporaryFolder>;
let engine: SQLiteEngine;
beforeEach(() => {
  folder = temporaryFolder();
  engine = new SQLiteEngine({ path: join(folder.folder, 'visibility.db'), workers: 2 });
});
afterEach(async () => {
  await engine.close();
  folder.remove();
});

async function notes() {
  const Notes = defineTable('notes', { id: serial(), body: text(), n: integer({ default: 0 }) }, { db: engine });
  await Notes.createTable();
  return Notes;
}

const REPEAT = 40;

describe('reads on a pooled file engine', () => {
  it('see every write acknowledged before them (read-your-own-writes), one after another', async () => {
    const Notes = await notes();
    const byId = Notes.select(Notes.body).where(Notes.id.eq(param('id'))).first().prepare();
    for (let index = 1; index <= REPEAT; index++) {
      const { lastInsertRowid } = await Notes.insert({ body: `note ${index}` });
      expect(await Notes.select(Notes.body).where(Notes.id.eq(Number(lastInsertRowid))).first()).toEqual({ body: `note ${index}` });
      expect(await byId.run({ id: Number(lastInsertRowid) })).toEqual({ body: `note ${index}` });
      await Notes.update({ n: index }).where(Notes.id.eq(Number(lastInsertRowid)));
      expect(await Notes.select(Notes.n).where(Notes.id.eq(Number(lastInsertRowid))).first()).toEqual({ n: index });
      await Notes.delete().where(Notes.id.eq(Number(lastInsertRowid)));
      expect(await Notes.select(Notes.n).where(Notes.id.eq(Number(lastInsertRowid))).first()).toBeUndefined();
    }
  });

  it('never see an open async transaction from outside it, and see it once committed', async () => {
    const Notes = await notes();
    await Notes.insert({ body: 'committed' });
    const byBody = (body: string) => Notes.select(Notes.id).where(Notes.body.eq(body)).first();
    for (let round = 0; round < REPEAT; round++) await byBody('committed');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let wrote!: () => void;
    const written = new Promise<void>((resolve) => (wrote = resolve));
    const transaction = engine.transaction(async () => {
      await Notes.insert({ body: 'pending' });
      // Inside: its own write is visible.
      expect(await byBody('pending')).toBeDefined();
      wrote();
      await held;
    });
    await written;
    for (let round = 0; round < REPEAT; round++) expect(await byBody('pending')).toBeUndefined();
    release();
    await transaction;
    expect(await byBody('pending')).toBeDefined();
  });

  it('never see the rolled-back writes of a sync transaction, even when made inside it', async () => {
    const Notes = await notes();
    const count = () => Notes.count().where(Notes.n.eq(7));
    for (let round = 0; round < REPEAT; round++) await count();
    let insideRead: Promise<number> | undefined;
    expect(() =>
      engine.transactionSync(() => {
        Notes.insert({ body: 'rolled back', n: 7 }).runSync();
        insideRead = count().run();
        throw new Error('roll back');
      }),
    ).toThrow('roll back');
    expect(await insideRead).toBe(0);
    expect(await count()).toBe(0);
  });

  it('a cheap lookup shape runs on the main connection once learned; a scan, raw SQL and writes stay on the pool', async () => {
    const Notes = await notes();
    await Notes.insert([{ body: 'a' }, { body: 'b' }]);
    const lookup = () => Notes.select(Notes.body).where(Notes.id.eq(2)).first();
    // Enough runs that a few slow ones on a busy machine stay rare outliers.
    for (let round = 0; round < 100; round++) expect(await lookup()).toEqual({ body: 'b' });
    await Promise.all(engine.workerProcesses().map((worker) => worker.terminate()));
    expect(engine.workerProcesses()).toEqual([]);
    // Learned cheap, with an index lookup for a plan: answered with no worker started.
    expect(await lookup()).toEqual({ body: 'b' });
    expect(engine.workerProcesses()).toEqual([]);
    // A full scan (no index on body) goes to a reader, however cheap it has been.
    const scan = () => Notes.select(Notes.id).where(Notes.body.eq('a')).first();
    for (let round = 0; round < 5; round++) expect(await scan()).toEqual({ id: 1 });
    expect(engine.workerProcesses().length).toBe(1);
    await Promise.all(engine.workerProcesses().map((worker) => worker.terminate()));
    expect(await engine.raw('SELECT body FROM notes WHERE id = ?', [1])).toEqual([{ body: 'a' }]);
    expect(engine.workerProcesses().length).toBe(1);
  });

  it('a lookup shape measured slow on the pool stays there (it never holds the event loop)', async () => {
    const Tagged = defineTable('tagged', { id: serial(), tag: text().index(), n: integer() }, { db: engine });
    await Tagged.createTable();
    engine.transactionSync(() => {
      for (let index = 0; index < 100_000; index++) Tagged.insert({ tag: 'same', n: index }).runSync();
    });
    // An index lookup (SEARCH) that matches 100k rows: far over the budget on every run.
    const byTag = () => Tagged.select(Tagged.n).where(Tagged.tag.eq('same'));
    for (let round = 0; round < 5; round++) expect((await byTag()).length).toBe(100_000);
    await Promise.all(engine.workerProcesses().map((worker) => worker.terminate()));
    expect((await byTag()).length).toBe(100_000);
    expect(engine.workerProcesses().length).toBe(1);
  });

  it('a lookup shape that can match many rows never runs inline, however cheap its runs have been (range, non-unique index)', async () => {
    const Tagged = defineTable('tagged', { id: serial(), tag: text().index(), n: integer() }, { db: engine });
    await Tagged.createTable();
    engine.transactionSync(() => {
      Tagged.insert({ tag: 'rare', n: -1 }).runSync();
      for (let index = 0; index < 50_000; index++) Tagged.insert({ tag: 'common', n: index }).runSync();
    });
    // Both plans are SEARCH steps, and both are cheap for the values learned on: one row each.
    const byTag = (tag: string) => Tagged.select(Tagged.n).where(Tagged.tag.eq(tag));
    const after = (id: number) => Tagged.select(Tagged.n).where(Tagged.id.gt(id));
    for (let round = 0; round < 100; round++) {
      expect(await byTag('rare')).toEqual([{ n: -1 }]);
      expect(await after(50_000)).toEqual([{ n: 49_999 }]);
    }
    // The same shapes with values that match every row must not hold the event loop: a reader runs them.
    await Promise.all(engine.workerProcesses().map((worker) => worker.terminate()));
    expect((await byTag('common')).length).toBe(50_000);
    expect(engine.workerProcesses().length).toBe(1);
    await Promise.all(engine.workerProcesses().map((worker) => worker.terminate()));
    expect((await after(0)).length).toBe(50_001);
    expect(engine.workerProcesses().length).toBe(1);
  });

  it('after close(), are refused with ENGINE_CLOSED', async () => {
    const Notes = await notes();
    for (let round = 0; round < REPEAT; round++) await Notes.count();
    await engine.close();
    await expect(Notes.count()).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
  });
});
