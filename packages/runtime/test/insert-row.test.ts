/**
 * `Table.insert(row)` (one row object) compiles from its encoded values without an operation
 * node; `insert([row])` builds the node. On real SQLite both store the same rows and answer
 * alike (core's insert-row tests compare the SQL).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bigint, boolean, date, defineTable, integer, json, numeric, param, serial, text, timestamp } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';

let engine: SQLiteEngine;

beforeEach(() => {
  engine = new SQLiteEngine({ path: ':memory:' });
});
afterEach(() => engine.close());

function itemTable(name: string) {
  return defineTable(
    name,
    {
      id: serial(),
      name: text(),
      amount: integer({ default: 5 }),
      note: text().nullable(),
      big: bigint({ default: 1n }),
      price: numeric({ digits: [10, 2] }).nullable(),
      day: date().nullable(),
      at: timestamp().nullable(),
      data: json<{ tags: string[] }>().nullable(),
      flag: boolean({ default: false }),
    },
    { db: engine },
  );
}

const rows = [
  { name: 'only required' },
  { note: 'keys in another order', name: 'b', amount: 2 },
  { name: 'undefined is absent', note: undefined, amount: undefined },
  { name: 'nulls', note: null, price: null, day: null, at: null, data: null },
  {
    name: 'every type',
    amount: -3,
    note: 'n',
    big: 2n ** 62n,
    price: '-12.05',
    day: new Date('2024-05-01'),
    at: new Date('2024-05-01T10:20:30.400Z'),
    data: { tags: ['x', 'y'] },
    flag: true,
  },
];

describe('insert(row) and insert([row]) on SQLite', () => {
  it('store the same rows and answer with the same changes and rowids', () => {
    const Single = itemTable('single');
    const General = itemTable('general');
    Single.createTable().runSync();
    General.createTable().runSync();
    for (const row of rows) {
      expect(Single.insert(row as never).runSync()).toEqual(General.insert([row] as never).runSync());
    }
    const single = Single.select().orderBy(Single.id).runSync();
    expect(single).toEqual(General.select().orderBy(General.id).runSync());
    expect(single[4]).toMatchObject({ amount: -3, big: 2n ** 62n, price: '-12.05', data: { tags: ['x', 'y'] }, flag: true });
    expect(single[0]).toMatchObject({ amount: 5, big: 1n, note: null, flag: false });
  });

  it('returning() and an upsert chained on insert(row) run as on insert([row])', () => {
    const Single = itemTable('single');
    Single.createTable().runSync();
    const inserted = Single.insert({ name: 'a', price: '1.50' }).returning(Single.id, Single.price, Single.big).runSync();
    expect(inserted).toEqual([{ id: 1, price: '1.50', big: 1n }]);
    const again = Single.insert({ id: 1, name: 'b' }).onConflict({ target: Single.id, action: 'doUpdate', set: [Single.name] }).returning(Single.name).runSync();
    expect(again).toEqual([{ name: 'b' }]);
    expect(Single.insert({ id: 1, name: 'c' }).onConflict('ignore').runSync().changes).toBe(0);
  });

  it('a row object changed and inserted again in a loop stores each version', () => {
    const Single = itemTable('single');
    Single.createTable().runSync();
    const row: Record<string, unknown> = { name: 'first' };
    engine.transactionSync(() => {
      for (let index = 0; index < 4; index++) {
        row.name = `row ${index}`;
        if (index === 2) row.note = 'from the third on';
        Single.insert(row as { name: string }).runSync();
      }
    });
    expect(Single.select(Single.name, Single.note).orderBy(Single.id).runSync()).toEqual([
      { name: 'row 0', note: null },
      { name: 'row 1', note: null },
      { name: 'row 2', note: 'from the third on' },
      { name: 'row 3', note: 'from the third on' },
    ]);
  });

  it('a prepared insert(row) with parameters stores what its runs are given', () => {
    const Single = itemTable('single');
    Single.createTable().runSync();
    const insert = Single.insert({ name: param('name'), price: param('price'), flag: true }).prepare();
    insert.runSync({ name: 'p', price: '2.25' });
    insert.runSync({ name: 'q', price: null });
    expect(Single.select(Single.name, Single.price, Single.flag).orderBy(Single.id).runSync()).toEqual([
      { name: 'p', price: '2.25', flag: true },
      { name: 'q', price: null, flag: true },
    ]);
  });
});
