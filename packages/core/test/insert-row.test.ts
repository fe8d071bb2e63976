/**
 * `Table.insert(row)` with one row object keeps the row's encoded values and compiles straight
 * from them, making its operation node only when something asks for it (see `InsertQuery`). An
 * array of one row, `insert([row])`, still builds the node first and compiles it as every other
 * statement: these tests hold the first to the second over many kinds of rows, on both dialects,
 * through every method that chains on an insert.
 */
import { describe, expect, it } from 'vitest';
import {
  bigint,
  boolean,
  compileQuery,
  date,
  defineTable,
  excluded,
  foreignKey,
  integer,
  json,
  numeric,
  param,
  PiccoErrorCode,
  serial,
  text,
  timestamp,
  uuid,
  varchar,
  type Engine,
  type InsertQuery,
} from '@picco/core';
import { catchPiccoError, FakeEngine } from './helpers.js';

class PostgresFakeEngine extends FakeEngine {
  readonly dialect = 'postgres' as const;
}

let generated = 0;
/** A per-insert default with a visible count, so a default computed twice would show. */
const nextCode = (): string => `code-${++generated}`;

function tablesOn(db: Engine) {
  const Label = defineTable('label', { id: serial(), name: text() }, { db });
  const Item = defineTable(
    'item',
    {
      id: serial(),
      name: text(),
      kind: varchar({ length: 10, choices: ['a', 'b'] }),
      amount: integer({ default: 0 }),
      note: text().nullable(),
      big: bigint({ default: 0n }),
      price: numeric({ digits: [10, 2] }).nullable(),
      day: date().nullable(),
      at: timestamp().nullable(),
      data: json<{ tags: string[] }>().nullable(),
      flag: boolean({ default: false }),
      code: text({ default: nextCode }),
      ref: uuid().nullable(),
      label: foreignKey(() => Label).nullable(),
    },
    { db },
  );
  return { Label, Item };
}

type Row = Record<string, unknown>;

const rows: { name: string; row: Row }[] = [
  { name: 'the required columns only', row: { name: 'x', kind: 'a' } },
  { name: 'the same keys in another order', row: { kind: 'b', name: 'y' } },
  { name: 'an undefined value (absent)', row: { name: 'x', kind: 'a', note: undefined, amount: undefined } },
  { name: 'nulls in nullable columns', row: { name: 'x', kind: 'a', note: null, price: null, day: null, at: null, data: null, ref: null, label: null } },
  { name: 'a given id', row: { id: 7, name: 'x', kind: 'a' } },
  { name: 'a null id (serial)', row: { id: null, name: 'x', kind: 'a' } },
  {
    name: 'every type',
    row: {
      name: 'x',
      kind: 'b',
      amount: 3,
      note: 'n',
      big: 2n ** 60n,
      price: '12.34',
      day: new Date('2024-05-01'),
      at: new Date('2024-05-01T10:20:30.400Z'),
      data: { tags: ['t'] },
      flag: true,
      code: 'given',
      ref: '0b6b5e76-1d8b-4b1e-9d6a-3a1f2c4d5e6f',
      label: 3,
    },
  },
  { name: 'a bigint as a number and a negative decimal', row: { name: 'x', kind: 'a', big: 5, price: '-0.5' } },
  { name: 'a default given explicitly as its value', row: { name: 'x', kind: 'a', amount: 0, flag: false } },
];

/** The compiled query with its statement memo left out (the two paths share the one object anyway). */
function plain(query: InsertQuery<unknown>) {
  const { statementMemo, ...rest } = query.toSQL();
  return { ...rest, memo: statementMemo !== undefined };
}

describe.each([
  { dialect: 'sqlite', db: new FakeEngine('app.db') as Engine },
  { dialect: 'postgres', db: new PostgresFakeEngine('postgres://x') as Engine },
])('insert(row) on $dialect: what insert([row]) gives', ({ db }) => {
  const { Item } = tablesOn(db);
  // The computed default (`code`) counts up per insert: both paths see the same count.
  const pair = (row: Row) => {
    const start = generated;
    const single = Item.insert(row as never);
    generated = start;
    const general = Item.insert([row] as never);
    return { single, general };
  };

  it.each(rows)('$name: the same SQL, values and node', ({ row }) => {
    const { single, general } = pair(row);
    expect(plain(single)).toEqual(plain(general));
    expect(single.toSQL().sql).toBe(general.toSQL().sql);
    expect(single.node).toEqual(general.node);
    // The node made on demand compiles to the same statement as the query itself.
    expect(compileQuery(single.node, db.dialect)).toEqual(single.toSQL());
  });

  it.each(rows)('$name: the same after returning(), onConflict() and an upsert', ({ row }) => {
    const { single, general } = pair(row);
    expect(plain(single.returning())).toEqual(plain(general.returning()));
    expect(plain(single.returning(Item.id, Item.price))).toEqual(plain(general.returning(Item.id, Item.price)));
    if (db.dialect !== 'postgres') expect(plain(single.onConflict('ignore'))).toEqual(plain(general.onConflict('ignore')));
    const upsert = { target: Item.name, action: 'doUpdate', set: { amount: excluded(Item.amount), price: '1.50' } } as const;
    expect(plain(single.onConflict(upsert).returning())).toEqual(plain(general.onConflict(upsert).returning()));
  });

  it('the node asked for after toSQL(), and toSQL() after the node, hold the same values (decimals converted once)', () => {
    const row = { name: 'x', kind: 'a', price: '12.34', big: 9n, code: 'c' } as const;
    // Not the first of its shape: that one's node is made to write the statement's text.
    const shapeSeen = Item.insert(row).toSQL();
    const first = Item.insert(row);
    const compiled = first.toSQL();
    expect(compiled).toEqual(shapeSeen);
    expect(first.node).toEqual(Item.insert([row]).node);
    expect(first.returning().toSQL().params).toEqual(Item.insert([row]).returning().toSQL().params);
    expect(first.toSQL()).toBe(compiled);
    const second = Item.insert(row);
    const node = second.node;
    expect(second.toSQL()).toEqual(compiled);
    expect(second.node).toBe(node);
  });

  it('a row changed after insert() does not change the query; the next insert() sees the change', () => {
    const row: Row = { name: 'before', kind: 'a', code: 'c' };
    const query = Item.insert(row as never);
    const before = query.toSQL().params.slice();
    row.name = 'after';
    row.note = 'added';
    expect(query.toSQL().params).toEqual(before);
    expect(query.node).toEqual(Item.insert([{ ...row, name: 'before', note: undefined }] as never).node);
    const next = Item.insert(row as never);
    expect(next.toSQL().params).toContain('after');
    expect(next.toSQL().params).toContain('added');
    expect(next.toSQL().sql).not.toBe(query.toSQL().sql);
  });

  it('a computed default runs once per insert, whether or not the node is made', () => {
    const start = generated;
    const query = Item.insert({ name: 'x', kind: 'a' });
    void query.toSQL();
    void query.node;
    void query.returning().toSQL();
    expect(generated).toBe(start + 1);
    expect(query.toSQL().params).toContain(`code-${start + 1}`);
  });

  it('a parameter in a row compiles to its slot, and prepares as from the general path', () => {
    const { single, general } = pair({ name: param('name'), kind: 'a', price: param('price') });
    expect(single.toSQL().sql).toBe(general.toSQL().sql);
    expect(single.node).toEqual(general.node);
  });
});

describe('insert(row): errors as the general path gives them', () => {
  const { Item } = tablesOn(new FakeEngine('app.db'));
  it.each([
    { name: 'a wrong type', row: { name: 1, kind: 'a' } },
    { name: 'a choice not listed', row: { name: 'x', kind: 'c' } },
    { name: 'null in a required column', row: { name: null, kind: 'a' } },
    { name: 'a required column missing', row: { kind: 'a' } },
    { name: 'an unknown column', row: { name: 'x', kind: 'a', nope: 1 } },
    { name: 'a decimal with too many digits', row: { name: 'x', kind: 'a', price: '1.234' } },
    { name: 'a bigint beyond an integer column', row: { name: 'x', kind: 'a', amount: 2n ** 60n } },
  ])('$name', ({ row }) => {
    const single = catchPiccoError(() => Item.insert(row as never), PiccoErrorCode.INVALID_QUERY);
    const general = catchPiccoError(() => Item.insert([row] as never), PiccoErrorCode.INVALID_QUERY);
    expect(single.message).toBe(general.message);
  });

  // A row with the keys of the table's last insert (a loop's) takes a shorter way (tables
  // without per-insert computed defaults): the same answers.
  const Plain = defineTable('plain', { id: serial(), name: text(), kind: varchar({ length: 10, choices: ['a', 'b'] }), note: text().nullable() }, { db: new FakeEngine('app.db') });
  it.each([
    { name: 'a wrong type where a later value is undefined', row: { name: 1, kind: undefined } },
    { name: 'a wrong type where a later value is valid', row: { name: 1, kind: 'a' } },
    { name: 'a choice not listed', row: { name: 'x', kind: 'c' } },
    { name: 'null in a required column', row: { name: null, kind: 'a' } },
  ])('after an insert of the same keys: $name', ({ row }) => {
    // Built, never run: building it makes these keys the table's last insert's.
    void Plain.insert({ name: 'w', kind: 'a' });
    const single = catchPiccoError(() => Plain.insert(row as never), PiccoErrorCode.INVALID_QUERY);
    const general = catchPiccoError(() => Plain.insert([row] as never), PiccoErrorCode.INVALID_QUERY);
    expect(single.message).toBe(general.message);
  });

  it.each([
    { name: 'of an unknown key', row: { name: 'x', kind: 'a', nope: undefined }, sql: 'INSERT INTO "plain" ("name", "kind") VALUES (?, ?)' },
    { name: 'of a nullable column', row: { name: 'x', kind: 'a', note: undefined }, sql: 'INSERT INTO "plain" ("name", "kind") VALUES (?, ?)' },
    { name: 'of a required column', row: { name: 'x', kind: undefined, note: 'n' }, sql: undefined },
  ])('after an insert of the same keys, an undefined value $name is absent', ({ row, sql }) => {
    // The same keys with values, so that the row below has the last insert's keys.
    void Plain.insert(Object.fromEntries(Object.keys(row).map((key) => [key, key === 'nope' ? undefined : 'a'])) as never);
    if (sql === undefined) {
      const single = catchPiccoError(() => Plain.insert(row as never), PiccoErrorCode.INVALID_QUERY);
      expect(single.message).toBe(catchPiccoError(() => Plain.insert([row] as never), PiccoErrorCode.INVALID_QUERY).message);
      return;
    }
    const single = Plain.insert(row as never);
    expect(single.toSQL()).toEqual(compileQuery(Plain.insert([row] as never).node));
    expect(single.toSQL()).toMatchObject({ sql, params: ['x', 'a'] });
  });

  it('rows with the last insert\'s keys, in turn with rows of other keys, each get their own columns and values', () => {
    const inserts = [
      { name: 'a', kind: 'a' },
      { name: 'b', kind: 'b' },
      { kind: 'a', name: 'c' },
      { name: 'd', kind: 'b', note: 'n' },
      { name: 'e', kind: 'a', note: null },
      { name: 'f', kind: 'a' },
    ];
    for (const row of [...inserts, ...inserts]) {
      expect(Plain.insert(row as never).toSQL()).toEqual(compileQuery(Plain.insert([row] as never).node));
      expect(Plain.insert(row as never).node).toEqual(Plain.insert([row] as never).node);
    }
  });

  it('not an object', () => {
    for (const bad of [null, 3, 'row']) {
      expect(catchPiccoError(() => Item.insert(bad as never), PiccoErrorCode.INVALID_QUERY).message).toBe(
        catchPiccoError(() => Item.insert([bad] as never), PiccoErrorCode.INVALID_QUERY).message,
      );
    }
  });
});

describe('insert(row): the caches it uses tell tables, columns and dialects apart', () => {
  it('tables with the same column keys, inserted into in turn, each get their own statement', () => {
    const db = new FakeEngine('app.db');
    const A = defineTable('a', { id: serial(), name: text() }, { db });
    const B = defineTable('b', { id: serial(), name: text() }, { db });
    for (let round = 0; round < 3; round++) {
      expect(A.insert({ name: 'x' }).toSQL()).toMatchObject({ sql: 'INSERT INTO "a" ("name") VALUES (?)', params: ['x'], table: 'a' });
      expect(B.insert({ name: 'y' }).toSQL()).toMatchObject({ sql: 'INSERT INTO "b" ("name") VALUES (?)', params: ['y'], table: 'b' });
    }
  });

  it('the same table on two dialects, compiled in turn, gets each dialect its text', () => {
    const Lite = defineTable('t', { id: serial(), name: text(), n: integer() }, { db: new FakeEngine('app.db') });
    const Pg = defineTable('t', { id: serial(), name: text(), n: integer() }, { db: new PostgresFakeEngine('postgres://x') });
    for (let round = 0; round < 3; round++) {
      expect(Lite.insert({ name: 'x', n: 1 }).toSQL().sql).toBe('INSERT INTO "t" ("name", "n") VALUES (?, ?)');
      expect(Pg.insert({ name: 'x', n: 1 }).toSQL().sql).toBe('INSERT INTO "t" ("name", "n") VALUES ($1, $2)');
      expect(Lite.insert({ n: 1, name: 'x' }).toSQL().sql).toBe('INSERT INTO "t" ("n", "name") VALUES (?, ?)');
    }
  });

  it('column sets that alternate within a table each keep their own text', () => {
    const T = defineTable('t', { id: serial(), name: text(), n: integer({ default: 0 }) }, { db: new FakeEngine('app.db') });
    for (let round = 0; round < 3; round++) {
      expect(T.insert({ name: 'x' }).toSQL()).toMatchObject({ sql: 'INSERT INTO "t" ("name") VALUES (?)', params: ['x'] });
      expect(T.insert({ name: 'x', n: 2 }).toSQL()).toMatchObject({ sql: 'INSERT INTO "t" ("name", "n") VALUES (?, ?)', params: ['x', 2] });
      expect(T.insert({ name: 'x', n: undefined }).toSQL()).toMatchObject({ sql: 'INSERT INTO "t" ("name") VALUES (?)', params: ['x'] });
    }
  });

  it('an empty row inserts DEFAULT VALUES, as before', () => {
    const T = defineTable('t', { id: serial(), n: integer({ default: 0 }) }, { db: new FakeEngine('app.db') });
    expect(T.insert({}).toSQL()).toMatchObject({ sql: 'INSERT INTO "t" DEFAULT VALUES', params: [] });
    expect(T.insert({}).node).toEqual(T.insert([{}]).node);
  });
});
