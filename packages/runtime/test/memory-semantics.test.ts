/**
 * DESIGN.md's path table, executed: what each kind of path does, sync and async, and that no
 * Picco convention path ever reaches SQLite verbatim (which would leave a junk file behind).
 */
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { defineTable, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';

const opened: SQLiteEngine[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((engine) => engine.close()));
});

function engineFor<const P extends string>(path: P): SQLiteEngine<P> {
  const engine = new SQLiteEngine({ path });
  opened.push(engine);
  return engine;
}

function usersOn(engine: SQLiteEngine) {
  return defineTable('users', { id: serial(), name: text() }, { db: engine });
}

describe.each([
  [':memory:', 'private-memory'],
  ['', 'private-temporary'],
  ['file::memory:', 'private-memory'],
  ['file:picco-private?mode=memory', 'private-memory'],
  ['file:picco-private?mode=memory&cache=private', 'private-memory'],
])('private path %j', (path, kind) => {
  it(`is ${kind} and works synchronously`, () => {
    const Users = usersOn(engineFor(path));
    expect(Users.$engine.pathInfo.kind).toBe(kind);
    Users.createTable().runSync();
    Users.insert({ name: 'ada' }).runSync();
    expect(Users.select(Users.name).runSync()).toEqual([{ name: 'ada' }]);
  });

  it('refuses async execution with PRIVATE_MEMORY_ASYNC, naming the table, the path and both fixes', async () => {
    const Users = usersOn(engineFor(path));
    const error = await Users.createTable().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ code: PiccoErrorCode.PRIVATE_MEMORY_ASYNC });
    const message = (error as Error).message;
    expect(message).toContain('"users"');
    expect(message).toContain(JSON.stringify(path));
    expect(message).toContain(`':memory:?cache=shared'`);
    expect(message).toContain('.runSync()');
    expect(message).toContain('no-async-private-memory');
    await expect(Users.select().run()).rejects.toMatchObject({ code: PiccoErrorCode.PRIVATE_MEMORY_ASYNC });
    await expect(Users.$engine.transaction(async () => undefined)).rejects.toMatchObject({ code: PiccoErrorCode.PRIVATE_MEMORY_ASYNC });
  });

  it('refuses before touching any database: the table was never created', async () => {
    const Users = usersOn(engineFor(path));
    await expect(Users.createTable()).rejects.toThrow();
    expect(Users.tableExists().runSync()).toBe(false);
  });
});

describe('shared memory', () => {
  it('gives sync and async queries of one engine one database (the seed scenario, fixed)', async () => {
    const Users = usersOn(engineFor(':memory:?cache=shared'));
    await Users.createTable();
    await Users.insert({ name: 'ada' });
    Users.insert({ name: 'grace' }).runSync();
    expect(await Users.select(Users.name).orderBy(Users.name)).toEqual([{ name: 'ada' }, { name: 'grace' }]);
    expect(Users.count().runSync()).toBe(2);
  });

  it.each([':memory:?cache=shared', 'file::memory:?cache=shared'])('gives each %j engine its own database', async (path) => {
    const first = usersOn(engineFor(path));
    const second = usersOn(engineFor(path));
    await first.createTable();
    await first.insert({ name: 'only in first' });
    expect(await second.tableExists()).toBe(false);
    await second.createTable();
    expect(await second.count()).toBe(0);
    expect(await first.count()).toBe(1);
  });

  it('shares a named database across engines, and frees it when the last closes', async () => {
    const path = 'file:picco-named-test?mode=memory&cache=shared';
    const writer = new SQLiteEngine({ path });
    const reader = new SQLiteEngine({ path });
    const other = engineFor('file:picco-other-name?mode=memory&cache=shared');
    await usersOn(writer).createTable();
    await usersOn(writer).insert({ name: 'shared' });
    const ReaderUsers = usersOn(reader);
    expect(await ReaderUsers.select(ReaderUsers.name)).toEqual([{ name: 'shared' }]);
    expect(await usersOn(other).tableExists()).toBe(false);
    await writer.close();
    expect(await usersOn(reader).count()).toBe(1);
    await reader.close();
    const reopened = engineFor(path);
    expect(await usersOn(reopened).tableExists()).toBe(false);
  });
});

describe('no junk files', () => {
  it('creates no file in the working directory for any memory path, sync or async', async () => {
    const before = new Set(readdirSync(process.cwd()));
    const paths = [':memory:', '', ':memory:?cache=shared', 'file::memory:', 'file::memory:?cache=shared', 'file:junk?mode=memory&cache=shared', 'file:junk2?mode=memory'];
    for (const path of paths) {
      const Users = usersOn(engineFor(path));
      Users.createTable().runSync();
      Users.insert({ name: 'x' }).runSync();
      await Users.count().run().catch(() => undefined);
    }
    await Promise.all(opened.splice(0).map((engine) => engine.close()));
    const added = readdirSync(process.cwd()).filter((name) => !before.has(name));
    expect(added).toEqual([]);
  });
});
