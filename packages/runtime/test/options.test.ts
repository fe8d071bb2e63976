/** Engine options: read-only databases, busy timeouts, the statement cache's bound. */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineTable, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine, STATEMENT_CACHE_SIZE } from '@picco/runtime';
import { temporaryFolder } from './engine-configs.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function fileEngine(options: { workers?: number; readonly?: boolean; busyTimeoutMs?: number } = {}, folder = temporaryFolder()) {
  const engine = new SQLiteEngine({ path: join(folder.folder, 'options.db'), ...options });
  cleanups.push(() => folder.remove(), () => engine.close());
  return { engine, folder };
}

describe('readonly', () => {
  it.each([0, 2])('reads but refuses writes, sync and async (workers: %i)', async (workers) => {
    const { engine: writer, folder } = fileEngine({ workers });
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: writer });
    await Notes.createTable();
    await Notes.insert({ body: 'kept' });
    const { engine: reader } = fileEngine({ workers, readonly: true }, folder);
    const ReadNotes = defineTable('notes', { id: serial(), body: text() }, { db: reader });
    expect(await ReadNotes.select(ReadNotes.body)).toEqual([{ body: 'kept' }]);
    expect(ReadNotes.count().runSync()).toBe(1);
    expect(() => ReadNotes.insert({ body: 'no' }).runSync()).toThrow(expect.objectContaining({ code: PiccoErrorCode.QUERY_FAILED, sqliteCode: 'SQLITE_READONLY' }));
    await expect(ReadNotes.delete({ force: true })).rejects.toMatchObject({ sqliteCode: 'SQLITE_READONLY' });
  });

  it('fails clearly when a read-only database does not exist', async () => {
    const { engine } = fileEngine({ readonly: true, workers: 0 });
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: engine });
    expect(() => Notes.count().runSync()).toThrow(expect.objectContaining({ code: PiccoErrorCode.QUERY_FAILED, message: expect.stringContaining('Could not open the database') }));
  });
});

describe('busyTimeoutMs', () => {
  it('fails a blocked synchronous write with SQLITE_BUSY after the timeout instead of hanging', async () => {
    const { engine: holder, folder } = fileEngine({ workers: 1 });
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: holder });
    await Notes.createTable();
    const { engine: impatient } = fileEngine({ workers: 0, busyTimeoutMs: 50 }, folder);
    const Blocked = defineTable('notes', { id: serial(), body: text() }, { db: impatient });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transaction = holder.transaction(async () => {
      await Notes.insert({ body: 'holding the write lock' });
      await gate;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = performance.now();
    expect(() => Blocked.insert({ body: 'blocked' }).runSync()).toThrow(expect.objectContaining({ sqliteCode: 'SQLITE_BUSY' }));
    expect(performance.now() - started).toBeLessThan(5000);
    release();
    await transaction;
    expect(Blocked.count().runSync()).toBe(1);
  });
});

describe('statement cache', () => {
  it('keeps working past its bound, re-preparing statements it evicted', async () => {
    const engine = new SQLiteEngine({ path: ':memory:?cache=shared' });
    cleanups.push(() => engine.close());
    const distinct = STATEMENT_CACHE_SIZE * 3;
    for (let index = 0; index < distinct; index++) expect(engine.raw(`SELECT ${index} AS n`).runSync()).toEqual([{ n: index }]);
    expect(engine.raw('SELECT 0 AS n').runSync()).toEqual([{ n: 0 }]);
    expect(await engine.raw(`SELECT ${distinct - 1} AS n`)).toEqual([{ n: distinct - 1 }]);
  });
});

describe('synchronous calls inside an async transaction', () => {
  it('join the transaction on a one-connection engine', async () => {
    const engine = new SQLiteEngine({ path: ':memory:?cache=shared' });
    cleanups.push(() => engine.close());
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: engine });
    Notes.createTable().runSync();
    await expect(
      engine.transaction(async () => {
        Notes.insert({ body: 'sync inside' }).runSync();
        await Notes.insert({ body: 'async inside' });
        throw new Error('roll back both');
      }),
    ).rejects.toThrow('roll back both');
    expect(Notes.count().runSync()).toBe(0);
  });

  it('are refused with TRANSACTION_CONFLICT on a worker pool, and the transaction still rolls back', async () => {
    const { engine } = fileEngine({ workers: 2 });
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: engine });
    await Notes.createTable();
    await expect(
      engine.transaction(async () => {
        await Notes.insert({ body: 'async inside' });
        Notes.insert({ body: 'sync inside' }).runSync();
      }),
    ).rejects.toMatchObject({ code: PiccoErrorCode.TRANSACTION_CONFLICT, message: expect.stringContaining('await query') });
    expect(await Notes.count()).toBe(0);
    expect(Notes.count().runSync()).toBe(0);
  });
});
