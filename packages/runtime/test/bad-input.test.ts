/** Bad input gets a PiccoError with a stable code and a message that says what to do. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { defineTable, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { temporaryFolder } from './engine-configs.js';

const opened: SQLiteEngine[] = [];
const scratch = temporaryFolder();
afterAll(() => scratch.remove());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((engine) => engine.close()));
});
function track<E extends SQLiteEngine>(engine: E): E {
  opened.push(engine);
  return engine;
}

describe('invalid paths', () => {
  it.each([
    [':memory', ':memory:'],
    ['memory:', ':memory:'],
    [' :memory: ', ':memory:'],
    [':memory:?cache=share', ':memory:?cache=shared'],
    ['app.db?cache=shared', undefined],
  ])('refuses %j before anything touches the disk', (path, suggestion) => {
    const before = new Set(readdirSync(process.cwd()));
    let caught: unknown;
    try {
      new SQLiteEngine({ path });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: PiccoErrorCode.INVALID_PATH });
    if (suggestion !== undefined) expect((caught as Error).message).toContain(JSON.stringify(suggestion));
    expect(readdirSync(process.cwd()).filter((name) => !before.has(name))).toEqual([]);
  });

  it.each([[42], [undefined], [null], [{ path: 'x' }]])('refuses a non-string path %j', (path) => {
    expect(() => new SQLiteEngine({ path: path as unknown as string })).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_PATH }));
  });

  it('refuses bad options with a clear message', () => {
    expect(() => new SQLiteEngine({ path: ':memory:', workers: -1 })).toThrow(/workers/);
    expect(() => new SQLiteEngine(undefined as never)).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_PATH }));
  });

  it('opens file: URIs as the file they name, read-only when asked', async () => {
    const { folder, remove } = temporaryFolder();
    try {
      const file = join(folder, 'uri.db');
      const writable = track(new SQLiteEngine({ path: `file:${file}`, workers: 1 }));
      const Notes = defineTable('notes', { id: serial(), body: text() }, { db: writable });
      await Notes.createTable();
      await Notes.insert({ body: 'hello' });
      expect(existsSync(file)).toBe(true);
      const readonly = track(new SQLiteEngine({ path: `file:${file}?mode=ro`, workers: 1 }));
      const ReadNotes = defineTable('notes', { id: serial(), body: text() }, { db: readonly });
      expect(await ReadNotes.select(ReadNotes.body)).toEqual([{ body: 'hello' }]);
      await expect(ReadNotes.insert({ body: 'nope' })).rejects.toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, sqliteCode: 'SQLITE_READONLY' });
    } finally {
      await Promise.all(opened.splice(0).map((engine) => engine.close()));
      remove();
    }
  });
});

describe('injection attempts', () => {
  it.each([
    ['shared memory', () => track(new SQLiteEngine({ path: ':memory:?cache=shared' }))],
    ['file pool', () => track(new SQLiteEngine({ path: join(scratch.folder, 'inject.db') }))],
  ])('stores hostile values and identifiers verbatim (%s)', async (_name, create) => {
    const engine = create();
    const Weird = defineTable('we"ird; DROP TABLE x;--', { id: serial(), 'co"l': text() }, { db: engine });
    await Weird.createTable();
    const hostile = ["'); DROP TABLE \"we\"\"ird; DROP TABLE x;--\"; --", "Robert'); DROP TABLE students;--", '%_\\', '\u0000nul', '"'];
    for (const value of hostile) await Weird.insert({ 'co"l': value });
    expect((await Weird.select(Weird['co"l']).orderBy(Weird.id)).map((row) => row['co"l'])).toEqual(hostile);
    expect(await Weird.count().where(Weird['co"l'].eq(hostile[1]!))).toBe(1);
    expect(await Weird.tableExists()).toBe(true);
  });
});

describe('misuse at execution', () => {
  it('refuses update() and delete() without where, sync and async', async () => {
    const engine = track(new SQLiteEngine({ path: ':memory:?cache=shared' }));
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: engine });
    Notes.createTable().runSync();
    Notes.insert({ body: 'keep me' }).runSync();
    await expect(Notes.update({ body: 'gone' })).rejects.toMatchObject({ code: PiccoErrorCode.UNFILTERED_MUTATION, message: expect.stringContaining('{ force: true }') });
    expect(() => Notes.delete().runSync()).toThrow(expect.objectContaining({ code: PiccoErrorCode.UNFILTERED_MUTATION }));
    expect(Notes.select(Notes.body).runSync()).toEqual([{ body: 'keep me' }]);
  });

  it.each([':memory:?cache=shared', ':memory:'])('refuses use after close with ENGINE_CLOSED (%j)', async (path) => {
    const engine = new SQLiteEngine({ path });
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: engine });
    Notes.createTable().runSync();
    await engine.close();
    expect(engine.isClosed).toBe(true);
    expect(() => Notes.select().runSync()).toThrow(expect.objectContaining({ code: PiccoErrorCode.ENGINE_CLOSED }));
    await expect(Notes.select().run()).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
    await expect(engine.transaction(async () => undefined)).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
    await engine.close();
  });

  it('ends the worker processes on close', async () => {
    const { folder, remove } = temporaryFolder();
    const engine = new SQLiteEngine({ path: join(folder, 'close.db'), workers: 2 });
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: engine });
    await Notes.createTable();
    await Notes.count();
    const workers = engine.workerProcesses();
    expect(workers).toHaveLength(2);
    await engine.close();
    expect(workers.every((worker) => !worker.isAlive)).toBe(true);
    await expect(Notes.count()).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
    remove();
  });

  it('refuses a synchronous query from outside an open async transaction on the same connection', async () => {
    const engine = track(new SQLiteEngine({ path: ':memory:?cache=shared' }));
    const Notes = defineTable('notes', { id: serial(), body: text() }, { db: engine });
    Notes.createTable().runSync();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transaction = engine.transaction(async () => {
      await Notes.insert({ body: 'inside' });
      await gate;
      expect(Notes.count().runSync()).toBe(1);
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(() => Notes.insert({ body: 'outside' }).runSync()).toThrow(expect.objectContaining({ code: PiccoErrorCode.TRANSACTION_CONFLICT }));
    release();
    await transaction;
    expect(Notes.count().runSync()).toBe(1);
  });

  it('turns SQLite errors into QUERY_FAILED with the SQL, SQLite code and cause', async () => {
    const engine = track(new SQLiteEngine({ path: ':memory:?cache=shared' }));
    const Users = defineTable('users', { id: serial(), name: text() }, { db: engine });
    const error = await Users.select().then(
      () => undefined,
      (caught: unknown) => caught as { code: string; sqliteCode: string; sql: string; cause: unknown; message: string },
    );
    expect(error).toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, sqliteCode: 'SQLITE_ERROR', sql: 'SELECT "id", "name" FROM "users"' });
    expect(error!.message).toContain('no such table: users');
    expect(error!.cause).toBeInstanceOf(Error);
  });
});
