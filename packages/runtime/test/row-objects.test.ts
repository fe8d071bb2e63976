/**
 * Rows of table queries are built by Picco from the values better-sqlite3 returns as arrays
 * (connection.ts, `rowMakerFor`); raw SQL keeps better-sqlite3's own object rows. Both must give
 * the same plain objects, on every engine kind (inline, and through worker processes), and raw SQL
 * must follow its columns when the table changes under a cached statement.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { count, defineTable, foreignKey, integer, serial, text } from '@picco/core';
import type { SQLiteEngine } from '@picco/runtime';
import { ENGINE_CONFIGS } from './engine-configs.js';

describe.each(ENGINE_CONFIGS)('rows on $name', (config) => {
  let engine: SQLiteEngine;
  let cleanup: () => Promise<void>;
  beforeEach(() => ({ engine, cleanup } = config.create()));
  afterEach(() => cleanup());

  function tables() {
    const Manager = defineTable('manager', { id: serial(), name: text() }, { db: engine });
    const Band = defineTable('band', { id: serial(), name: text(), popularity: integer({ default: 0 }), manager: foreignKey(() => Manager).nullable() }, { db: engine });
    return { Manager, Band };
  }

  it('are plain objects, keys in selection order, for select, first, joins, aggregates and returning', async () => {
    const { Manager, Band } = tables();
    await Manager.createTable();
    await Band.createTable();
    await Manager.insert({ name: 'Guido' });
    await Band.insert([
      { name: 'Pythonistas', popularity: 10, manager: 1 },
      { name: 'Solo', popularity: 2, manager: null },
    ]);
    const rows = await Band.select(Band.popularity, Band.name).orderBy(Band.id);
    expect(rows).toEqual([
      { popularity: 10, name: 'Pythonistas' },
      { popularity: 2, name: 'Solo' },
    ]);
    for (const row of rows) {
      expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
      expect(Object.keys(row)).toEqual(['popularity', 'name']);
    }
    const first = await Band.select().where(Band.id.eq(1)).first();
    expect(first).toEqual({ id: 1, name: 'Pythonistas', popularity: 10, manager: 1 });
    expect(Object.keys(first!)).toEqual(['id', 'name', 'popularity', 'manager']);
    expect(await Band.select().where(Band.id.eq(99)).first()).toBeUndefined();
    expect(await Band.select(Band.name, Band.manager.name).orderBy(Band.id)).toEqual([
      { name: 'Pythonistas', 'manager.name': 'Guido' },
      { name: 'Solo', 'manager.name': null },
    ]);
    expect(await Band.select(count().as('n')).first()).toEqual({ n: 2 });
    expect(await Band.insert({ name: 'New' }).returning(Band.id, Band.name)).toEqual([{ id: 3, name: 'New' }]);
  });

  it('a key named __proto__ is an own property holding its value, never the prototype', async () => {
    const { Manager, Band } = tables();
    await Manager.createTable();
    await Band.createTable();
    await Band.insert({ name: 'Pythonistas' });
    const [row] = await Band.select(Band.name.as('__proto__'), Band.id);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('Pythonistas');
    expect(Object.keys(row!)).toEqual(['__proto__', 'id']);
  });

  it('raw SQL reading * follows columns added under its cached statement', async () => {
    const { Manager, Band } = tables();
    await Manager.createTable();
    await Band.createTable();
    await Band.insert({ name: 'Pythonistas' });
    const all = () => engine.raw('SELECT * FROM band').runSync();
    expect(all()).toEqual([{ id: 1, name: 'Pythonistas', popularity: 0, manager: null }]);
    engine.raw(`ALTER TABLE band ADD COLUMN genre TEXT DEFAULT 'rock'`).runSync();
    expect(all()).toEqual([{ id: 1, name: 'Pythonistas', popularity: 0, manager: null, genre: 'rock' }]);
    // A table query of the same table keeps its own (named) columns.
    expect(await Band.select(Band.name)).toEqual([{ name: 'Pythonistas' }]);
  });
});
