/**
 * What insert, update and delete compile to. Without `returning` they run as `run` (no rows);
 * with it, as `all`. None is read-only.
 */
import { describe, expect, it } from 'vitest';
import { defineTable, integer, serial, text, timestamp, type CompiledQuery, type Query } from '@picco/core';
import { Band, DB, Everything } from './schema.js';

interface Case {
  name: string;
  query: Query<unknown>;
  sql: string;
  params: unknown[];
  /** Defaults to 'band'. */
  table?: string;
}

const Counter = defineTable('counter', { id: serial(), hits: integer({ default: 0 }), label: text().nullable() }, { db: DB });

function mutation(sql: string, params: unknown[], returnsRows: boolean, table = 'band'): CompiledQuery {
  // statementMemo: where the engine keeps the statement of this shape (one object per shape).
  return { sql, params: params as CompiledQuery['params'], mode: returnsRows ? 'all' : 'run', readOnly: false, safeIntegers: false, table, statementMemo: expect.any(Object) };
}

describe('insert', () => {
  const cases: Case[] = [
    {
      name: 'one row: only the given columns',
      query: Band.insert({ name: 'Pythonistas', popularity: 1000 }),
      sql: 'INSERT INTO "band" ("name", "popularity") VALUES (?, ?)',
      params: ['Pythonistas', 1000],
    },
    {
      name: 'an explicit serial id and a foreign key',
      query: Band.insert({ id: 7, name: 'Rustaceans', manager: 2 }),
      sql: 'INSERT INTO "band" ("id", "name", "manager") VALUES (?, ?, ?)',
      params: [7, 'Rustaceans', 2],
    },
    {
      name: 'undefined values are left out like missing ones',
      query: Band.insert({ name: 'a', popularity: undefined }),
      sql: 'INSERT INTO "band" ("name") VALUES (?)',
      params: ['a'],
    },
    {
      name: 'a single row given as an array of one',
      query: Band.insert([{ name: 'a' }]),
      sql: 'INSERT INTO "band" ("name") VALUES (?)',
      params: ['a'],
    },
    {
      name: 'several rows: the union of their columns, in first-seen order',
      query: Band.insert([
        { name: 'a', popularity: 1 },
        { name: 'b', active: false },
      ]),
      sql: 'INSERT INTO "band" ("name", "popularity", "active") VALUES (?, ?, ?), (?, ?, ?)',
      // Row 0 gets active's default (true -> 1), row 1 popularity's default (0).
      params: ['a', 1, 1, 'b', 0, 0],
    },
    {
      name: 'several rows: a nullable column without default is filled with null',
      query: Band.insert([{ name: 'a', manager: 1 }, { name: 'b' }]),
      sql: 'INSERT INTO "band" ("name", "manager") VALUES (?, ?), (?, ?)',
      params: ['a', 1, 'b', null],
    },
    {
      name: 'several rows: a missing serial id is null, for SQLite to number',
      query: Band.insert([{ id: 10, name: 'a' }, { name: 'b' }]),
      sql: 'INSERT INTO "band" ("id", "name") VALUES (?, ?), (?, ?)',
      params: [10, 'a', null, 'b'],
    },
    {
      name: 'an empty row is DEFAULT VALUES',
      query: Counter.insert({}),
      sql: 'INSERT INTO "counter" DEFAULT VALUES',
      params: [],
      table: 'counter',
    },
    {
      // DEFAULT VALUES inserts exactly one row, so several empty rows list every default.
      name: 'several empty rows insert one row each, with every default',
      query: Counter.insert([{}, {}, {}]),
      sql: 'INSERT INTO "counter" ("id", "hits", "label") VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)',
      params: [null, 0, null, null, 0, null, null, 0, null],
      table: 'counter',
    },
    { name: 'onConflict ignore', query: Band.insert({ name: 'a' }).onConflict('ignore'), sql: 'INSERT OR IGNORE INTO "band" ("name") VALUES (?)', params: ['a'] },
    { name: 'onConflict replace', query: Band.insert({ name: 'a' }).onConflict('replace'), sql: 'INSERT OR REPLACE INTO "band" ("name") VALUES (?)', params: ['a'] },
    {
      name: 'onConflict abort is the plain INSERT',
      query: Band.insert({ name: 'a' }).onConflict('ignore').onConflict('abort'),
      sql: 'INSERT INTO "band" ("name") VALUES (?)',
      params: ['a'],
    },
  ];

  it.each(cases)('$name', ({ query, sql, params, table }) => {
    expect(query.toSQL()).toEqual(mutation(sql, params, false, table));
  });

  const returning: Case[] = [
    {
      name: 'returning() with no columns returns every column',
      query: Band.insert({ name: 'a' }).returning(),
      sql: 'INSERT INTO "band" ("name") VALUES (?) RETURNING "id", "name", "popularity", "active", "manager"',
      params: ['a'],
    },
    {
      name: 'returning(columns)',
      query: Band.insert({ name: 'a' }).returning(Band.id, Band.name),
      sql: 'INSERT INTO "band" ("name") VALUES (?) RETURNING "id", "name"',
      params: ['a'],
    },
    {
      name: 'onConflict and returning combine',
      query: Band.insert({ name: 'a' }).onConflict('ignore').returning(Band.id),
      sql: 'INSERT OR IGNORE INTO "band" ("name") VALUES (?) RETURNING "id"',
      params: ['a'],
    },
    {
      name: 'DEFAULT VALUES with returning',
      query: Counter.insert({}).returning(Counter.id),
      sql: 'INSERT INTO "counter" DEFAULT VALUES RETURNING "id"',
      params: [],
      table: 'counter',
    },
  ];

  it.each(returning)('$name', ({ query, sql, params, table }) => {
    expect(query.toSQL()).toEqual(mutation(sql, params, true, table));
  });

  it('encodes every column type: boolean 1/0, Date as ISO text, json as text, bigint', () => {
    const query = Everything.insert({
      amount: 3,
      big: 9007199254740993n,
      ratio: 0.5,
      code: "it's",
      flag: false,
      at: new Date(Date.UTC(2020, 1, 29, 12, 0, 0)),
      data: { tags: ['x', 'y'] },
    });
    expect(query.toSQL()).toEqual(
      mutation(
        'INSERT INTO "everything" ("amount", "big", "ratio", "code", "flag", "at", "data") VALUES (?, ?, ?, ?, ?, ?, ?)',
        [3, 9007199254740993n, 0.5, "it's", 0, '2020-02-29T12:00:00.000Z', '{"tags":["x","y"]}'],
        false,
        'everything',
      ),
    );
  });

  it('a default Date is encoded like a given one', () => {
    const Event = defineTable('event', { id: serial(), name: text(), at: timestamp({ default: new Date(0) }) });
    expect(Event.insert([{ name: 'a' }, { name: 'b', at: new Date(1000) }]).toSQL().params).toEqual([
      'a',
      '1970-01-01T00:00:00.000Z',
      'b',
      '1970-01-01T00:00:01.000Z',
    ]);
  });

  it('returning a bigint column reads integers as bigint', () => {
    expect(Everything.insert({ amount: 1, big: 1n, ratio: 1, code: 'c', flag: true, at: new Date(0), data: { tags: [] } }).returning(Everything.big).toSQL().safeIntegers).toBe(true);
  });
});

describe('update', () => {
  const cases: (Case & { returnsRows?: boolean })[] = [
    {
      name: 'one value with where: SET params come before WHERE params',
      query: Band.update({ popularity: 2000 }).where(Band.name.eq('Pythonistas')),
      sql: 'UPDATE "band" SET "popularity" = ? WHERE "name" = ?',
      params: [2000, 'Pythonistas'],
    },
    {
      name: 'several values, encoded',
      query: Band.update({ popularity: 1, active: false }).where(Band.id.in([1, 2])),
      sql: 'UPDATE "band" SET "popularity" = ?, "active" = ? WHERE "id" IN (?, ?)',
      params: [1, 0, 1, 2],
    },
    {
      name: 'undefined values are skipped',
      query: Band.update({ popularity: 5, active: undefined }).where(Band.id.eq(1)),
      sql: 'UPDATE "band" SET "popularity" = ? WHERE "id" = ?',
      params: [5, 1],
    },
    {
      name: 'a nullable column set to null',
      query: Band.update({ manager: null }).where(Band.id.eq(3)),
      sql: 'UPDATE "band" SET "manager" = ? WHERE "id" = ?',
      params: [null, 3],
    },
    {
      name: 'two where calls are ANDed',
      query: Band.update({ active: true }).where(Band.popularity.lt(5)).where(Band.manager.isNull()),
      sql: 'UPDATE "band" SET "active" = ? WHERE ("popularity" < ?) AND ("manager" IS NULL)',
      params: [1, 5],
    },
    {
      name: 'force: no WHERE at all',
      query: Band.update({ active: false }, { force: true }),
      sql: 'UPDATE "band" SET "active" = ?',
      params: [0],
    },
    {
      name: 'returning columns',
      query: Band.update({ popularity: 3 }).where(Band.id.eq(1)).returning(Band.id, Band.popularity),
      sql: 'UPDATE "band" SET "popularity" = ? WHERE "id" = ? RETURNING "id", "popularity"',
      params: [3, 1],
      returnsRows: true,
    },
    {
      name: 'returning() every column',
      query: Band.update({ popularity: 3 }).where(Band.id.eq(1)).returning(),
      sql: 'UPDATE "band" SET "popularity" = ? WHERE "id" = ? RETURNING "id", "name", "popularity", "active", "manager"',
      params: [3, 1],
      returnsRows: true,
    },
    {
      name: 'where after returning',
      query: Band.update({ popularity: 3 }).returning(Band.id).where(Band.id.eq(1)),
      sql: 'UPDATE "band" SET "popularity" = ? WHERE "id" = ? RETURNING "id"',
      params: [3, 1],
      returnsRows: true,
    },
  ];

  it.each(cases)('$name', ({ query, sql, params, returnsRows }) => {
    expect(query.toSQL()).toEqual(mutation(sql, params, returnsRows === true));
  });
});

describe('delete', () => {
  const cases: (Case & { returnsRows?: boolean })[] = [
    { name: 'with where', query: Band.delete().where(Band.popularity.lt(10)), sql: 'DELETE FROM "band" WHERE "popularity" < ?', params: [10] },
    {
      name: 'two where calls are ANDed',
      query: Band.delete().where(Band.active.eq(false)).where(Band.popularity.lt(10)),
      sql: 'DELETE FROM "band" WHERE ("active" = ?) AND ("popularity" < ?)',
      params: [0, 10],
    },
    { name: 'force: no WHERE at all', query: Band.delete({ force: true }), sql: 'DELETE FROM "band"', params: [] },
    {
      name: 'returning',
      query: Band.delete().where(Band.id.eq(4)).returning(Band.name),
      sql: 'DELETE FROM "band" WHERE "id" = ? RETURNING "name"',
      params: [4],
      returnsRows: true,
    },
  ];

  it.each(cases)('$name', ({ query, sql, params, returnsRows }) => {
    expect(query.toSQL()).toEqual(mutation(sql, params, returnsRows === true));
  });
});

describe('identifiers are quoted', () => {
  const Weird = defineTable('we"ird', { id: serial(), 'co"l': text() });

  it.each([
    { name: 'insert', query: Weird.insert({ 'co"l': 'v' }).returning(Weird['co"l']), sql: 'INSERT INTO "we""ird" ("co""l") VALUES (?) RETURNING "co""l"' },
    { name: 'update', query: Weird.update({ 'co"l': 'v' }).where(Weird['co"l'].eq('w')), sql: 'UPDATE "we""ird" SET "co""l" = ? WHERE "co""l" = ?' },
    { name: 'delete', query: Weird.delete().where(Weird['co"l'].eq('w')), sql: 'DELETE FROM "we""ird" WHERE "co""l" = ?' },
  ])('$name', ({ query, sql }) => {
    expect(query.toSQL().sql).toBe(sql);
  });
});
