/**
 * Group commit in the writer process (worker/write-group.ts): plain async writes waiting together
 * run in one transaction. Each caller must still get exactly what its write did alone, and an
 * answer must mean the write is committed: these tests send many writes in one turn (so that
 * they wait together), with failures of every kind among them.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defineTable, integer, PiccoErrorCode, serial, text } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';
import { temporaryFolder } from './engine-configs.js';

let folder: ReturnType<typeof temporaryFolder>;
let path: string;
let engine: SQLiteEngine;
beforeEach(() => {
  folder = temporaryFolder();
  path = join(folder.folder, 'groups.db');
  engine = new SQLiteEngine({ path, workers: 2 });
});
afterEach(async () => {
  await engine.close();
  folder.remove();
});

function itemsTable() {
  return defineTable('items', { id: serial(), name: text().unique(), amount: integer() }, { db: engine });
}

/** Each write's outcome: its result, or its error's code and SQLite code. */
async function outcomes<T>(writes: readonly PromiseLike<T>[]): Promise<({ ok: T } | { code: unknown; sqliteCode: unknown })[]> {
  const settled = await Promise.allSettled(writes);
  return settled.map((outcome) =>
    outcome.status === 'fulfilled' ? { ok: outcome.value } : { code: (outcome.reason as { code?: unknown }).code, sqliteCode: (outcome.reason as { sqliteCode?: unknown }).sqliteCode },
  );
}

/** The rows as another connection sees them: what was committed. */
function committedNames(): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT name FROM items ORDER BY id').all() as { name: string }[]).map((row) => row.name);
  } finally {
    db.close();
  }
}

/** One write of each shape first: only statements known to run quickly join a group. */
async function warmUp(Items: ReturnType<typeof itemsTable>): Promise<void> {
  await Items.insert({ name: 'warm', amount: 0 });
  await Items.insert({ name: 'warm-returning', amount: 0 }).returning(Items.id);
  await Items.update({ amount: 1 }).where(Items.name.eq('warm'));
  await Items.delete().where(Items.name.eq('warm-returning'));
}

describe('writes waiting together in the writer', () => {
  it('each caller gets its own result (ids, returned rows, counts), and every write is committed', async () => {
    const Items = itemsTable();
    await Items.createTable();
    await warmUp(Items);
    const inserts = Array.from({ length: 150 }, (_, index) => Items.insert({ name: `item ${index}`, amount: index }));
    const returning = Array.from({ length: 50 }, (_, index) => Items.insert({ name: `returned ${index}`, amount: -index - 1 }).returning(Items.name, Items.amount));
    const updates = Array.from({ length: 20 }, (_, index) => Items.update({ amount: 1000 + index }).where(Items.name.eq(`item ${index}`)));
    const [inserted, returned, updated] = await Promise.all([Promise.all(inserts), Promise.all(returning), Promise.all(updates)]);
    const ids = new Map((await Items.select(Items.id, Items.name)).map((row) => [row.name, row.id]));
    inserted.forEach((result, index) => expect(result).toEqual({ changes: 1, lastInsertRowid: ids.get(`item ${index}`) }));
    returned.forEach((rows, index) => expect(rows).toEqual([{ name: `returned ${index}`, amount: -index - 1 }]));
    expect(updated.map((result) => result.changes)).toEqual(Array.from({ length: 20 }, () => 1));
    expect(committedNames()).toHaveLength(1 + 150 + 50);
    expect(await Items.select(Items.amount).where(Items.name.eq('item 3')).first()).toEqual({ amount: 1003 });
  });

  it('an answer means committed: another connection sees each write as soon as its caller hears of it', async () => {
    const Items = itemsTable();
    await Items.createTable();
    await warmUp(Items);
    const reader = new Database(path, { readonly: true });
    const seen = reader.prepare('SELECT count(*) AS n FROM items WHERE name = ?');
    try {
      const missing: string[] = [];
      await Promise.all(
        Array.from({ length: 200 }, (_, index) =>
          Items.insert({ name: `seen ${index}`, amount: index }).then(() => {
            if ((seen.get(`seen ${index}`) as { n: number }).n !== 1) missing.push(`seen ${index}`);
          }),
        ),
      );
      expect(missing).toEqual([]);
    } finally {
      reader.close();
    }
  });

  it('a failing write fails alone (a unique violation): every other write of its group is applied', async () => {
    const Items = itemsTable();
    await Items.createTable();
    await warmUp(Items);
    const names = Array.from({ length: 120 }, (_, index) => (index === 60 || index === 61 ? 'duplicate' : `unique ${index}`));
    const results = await outcomes(names.map((name, index) => Items.insert({ name, amount: index })));
    expect(results.filter((result) => 'code' in result)).toEqual([{ code: PiccoErrorCode.QUERY_FAILED, sqliteCode: 'SQLITE_CONSTRAINT_UNIQUE' }]);
    expect('code' in results[61]!).toBe(true);
    expect(committedNames()).toEqual(['warm', ...names.filter((_, index) => index !== 61)]);
  });

  it('a write whose failure rolls back the whole transaction (RAISE(ROLLBACK)) costs the others nothing', async () => {
    const Items = itemsTable();
    await Items.createTable();
    await engine.raw("CREATE TRIGGER refuse_poison BEFORE INSERT ON items WHEN NEW.name = 'poison' BEGIN SELECT RAISE(ROLLBACK, 'poison refused'); END");
    await warmUp(Items);
    const names = Array.from({ length: 100 }, (_, index) => (index === 40 ? 'poison' : `kept ${index}`));
    const results = await outcomes(names.map((name, index) => Items.insert({ name, amount: index })));
    expect(results.filter((result) => 'code' in result)).toEqual([{ code: PiccoErrorCode.QUERY_FAILED, sqliteCode: 'SQLITE_CONSTRAINT_TRIGGER' }]);
    expect(committedNames()).toEqual(['warm', ...names.filter((name) => name !== 'poison')]);
    const ids = new Map((await Items.select(Items.id, Items.name)).map((row) => [row.name, row.id]));
    results.forEach((result, index) => {
      if ('ok' in result) expect(result.ok.lastInsertRowid).toBe(ids.get(names[index]!));
    });
  });

  it('a write that only fails at COMMIT (a deferred foreign key) fails alone: the rest of its group is applied', async () => {
    await engine.raw('CREATE TABLE owners (id INTEGER PRIMARY KEY)');
    await engine.raw('CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT NOT NULL, owner INTEGER REFERENCES owners (id) DEFERRABLE INITIALLY DEFERRED)');
    await engine.raw('INSERT INTO owners (id) VALUES (1)');
    const Pets = defineTable('pets', { id: serial(), name: text(), owner: integer() }, { db: engine });
    await Pets.insert({ name: 'warm', owner: 1 });
    const owners = Array.from({ length: 80 }, (_, index) => (index === 30 ? 99 : 1));
    const results = await outcomes(owners.map((owner, index) => Pets.insert({ name: `pet ${index}`, owner })));
    expect(results.filter((result) => 'code' in result)).toEqual([{ code: PiccoErrorCode.QUERY_FAILED, sqliteCode: 'SQLITE_CONSTRAINT_FOREIGNKEY' }]);
    expect('code' in results[30]!).toBe(true);
    expect(await Pets.count()).toBe(1 + 79);
  });

  it('writes inside an async transaction stay in it: its rollback takes all of them', async () => {
    const Items = itemsTable();
    await Items.createTable();
    await warmUp(Items);
    await expect(
      engine.transaction(async () => {
        await Promise.all(Array.from({ length: 100 }, (_, index) => Items.insert({ name: `in transaction ${index}`, amount: index })));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(committedNames()).toEqual(['warm']);
  });

  it('raw SQL runs alone, in its place among grouped writes', async () => {
    const Items = itemsTable();
    await Items.createTable();
    await warmUp(Items);
    const writes = Array.from({ length: 40 }, (_, index) => Items.insert({ name: `plain ${index}`, amount: index }));
    const raw = engine.raw("INSERT INTO items (name, amount) VALUES ('raw', 1)");
    const more = Array.from({ length: 40 }, (_, index) => Items.insert({ name: `after ${index}`, amount: index }));
    await Promise.all([...writes, raw, ...more]);
    expect(committedNames()).toEqual(['warm', ...Array.from({ length: 40 }, (_, index) => `plain ${index}`), 'raw', ...Array.from({ length: 40 }, (_, index) => `after ${index}`)]);
  });
});
