/**
 * What select, first, count, exists and tableExists compile to. Values always travel as `?`
 * parameters, in the order their placeholders appear; identifiers are always quoted.
 */
import { describe, expect, it } from 'vitest';
import { and, defineTable, not, or, text, type Query } from '@picco/core';
import { Band, Everything } from './schema.js';

interface Case {
  name: string;
  query: Query<unknown>;
  sql: string;
  params: unknown[];
}

const ALL = 'SELECT "id", "name", "popularity", "active", "manager" FROM "band"';

describe('select', () => {
  const cases: Case[] = [
    { name: 'all columns', query: Band.select(), sql: ALL, params: [] },
    { name: 'one column', query: Band.select(Band.name), sql: 'SELECT "name" FROM "band"', params: [] },
    { name: 'some columns, in the order given', query: Band.select(Band.name, Band.id), sql: 'SELECT "name", "id" FROM "band"', params: [] },

    // Each operator.
    { name: 'eq', query: Band.select().where(Band.name.eq('Pythonistas')), sql: `${ALL} WHERE "name" = ?`, params: ['Pythonistas'] },
    { name: 'ne', query: Band.select().where(Band.name.ne('Rustaceans')), sql: `${ALL} WHERE "name" <> ?`, params: ['Rustaceans'] },
    { name: 'gt', query: Band.select().where(Band.popularity.gt(100)), sql: `${ALL} WHERE "popularity" > ?`, params: [100] },
    { name: 'gte', query: Band.select().where(Band.popularity.gte(100)), sql: `${ALL} WHERE "popularity" >= ?`, params: [100] },
    { name: 'lt', query: Band.select().where(Band.popularity.lt(10)), sql: `${ALL} WHERE "popularity" < ?`, params: [10] },
    { name: 'lte', query: Band.select().where(Band.popularity.lte(10)), sql: `${ALL} WHERE "popularity" <= ?`, params: [10] },
    { name: 'in', query: Band.select().where(Band.id.in([1, 2, 3])), sql: `${ALL} WHERE "id" IN (?, ?, ?)`, params: [1, 2, 3] },
    { name: 'notIn', query: Band.select().where(Band.id.notIn([4, 5])), sql: `${ALL} WHERE "id" NOT IN (?, ?)`, params: [4, 5] },
    { name: 'like', query: Band.select().where(Band.name.like('Py%')), sql: `${ALL} WHERE "name" LIKE ?`, params: ['Py%'] },
    { name: 'isNull', query: Band.select().where(Band.manager.isNull()), sql: `${ALL} WHERE "manager" IS NULL`, params: [] },
    { name: 'isNotNull', query: Band.select().where(Band.manager.isNotNull()), sql: `${ALL} WHERE "manager" IS NOT NULL`, params: [] },
    { name: 'eq(null) is IS NULL', query: Band.select().where(Band.manager.eq(null)), sql: `${ALL} WHERE "manager" IS NULL`, params: [] },
    { name: 'ne(null) is IS NOT NULL', query: Band.select().where(Band.manager.ne(null)), sql: `${ALL} WHERE "manager" IS NOT NULL`, params: [] },
    // `x IN ()` is not SQL: an empty list matches nothing, an empty NOT IN everything.
    { name: 'empty in-list', query: Band.select().where(Band.id.in([])), sql: `${ALL} WHERE 1 = 0`, params: [] },
    { name: 'empty notIn-list', query: Band.select().where(Band.id.notIn([])), sql: `${ALL} WHERE 1 = 1`, params: [] },

    // Combinators.
    {
      name: 'and',
      query: Band.select().where(and(Band.popularity.gt(100), Band.active.eq(true))),
      sql: `${ALL} WHERE ("popularity" > ?) AND ("active" = ?)`,
      params: [100, 1],
    },
    {
      name: 'or',
      query: Band.select().where(or(Band.name.eq('a'), Band.name.eq('b'))),
      sql: `${ALL} WHERE ("name" = ?) OR ("name" = ?)`,
      params: ['a', 'b'],
    },
    { name: 'not', query: Band.select().where(not(Band.active.eq(true))), sql: `${ALL} WHERE NOT ("active" = ?)`, params: [1] },
    {
      name: 'and/or/not nested, params in placeholder order',
      query: Band.select().where(or(and(Band.name.like('P%'), Band.popularity.gte(5)), not(or(Band.id.in([7, 8]), Band.manager.isNull())))),
      sql: `${ALL} WHERE (("name" LIKE ?) AND ("popularity" >= ?)) OR (NOT (("id" IN (?, ?)) OR ("manager" IS NULL)))`,
      params: ['P%', 5, 7, 8],
    },
    { name: 'and of one condition has no parentheses', query: Band.select().where(and(Band.id.eq(1))), sql: `${ALL} WHERE "id" = ?`, params: [1] },
    {
      name: 'two where calls are ANDed',
      query: Band.select().where(Band.name.eq('a')).where(Band.popularity.gt(1)),
      sql: `${ALL} WHERE ("name" = ?) AND ("popularity" > ?)`,
      params: ['a', 1],
    },
    {
      name: 'three where calls are ANDed, an OR kept grouped',
      query: Band.select().where(or(Band.id.eq(1), Band.id.eq(2))).where(Band.active.eq(false)).where(Band.manager.isNotNull()),
      sql: `${ALL} WHERE ((("id" = ?) OR ("id" = ?)) AND ("active" = ?)) AND ("manager" IS NOT NULL)`,
      params: [1, 2, 0],
    },

    // Ordering and paging.
    { name: 'orderBy defaults to ascending', query: Band.select().orderBy(Band.name), sql: `${ALL} ORDER BY "name" ASC`, params: [] },
    {
      name: 'orderBy several, asc and desc',
      query: Band.select().orderBy(Band.popularity, 'desc').orderBy(Band.name, 'asc').orderBy(Band.id),
      sql: `${ALL} ORDER BY "popularity" DESC, "name" ASC, "id" ASC`,
      params: [],
    },
    // LIMIT and OFFSET are literals (the builders accept only safe whole numbers).
    { name: 'limit', query: Band.select().limit(10), sql: `${ALL} LIMIT 10`, params: [] },
    { name: 'limit(0)', query: Band.select().limit(0), sql: `${ALL} LIMIT 0`, params: [] },
    { name: 'the last limit wins', query: Band.select().limit(10).limit(3), sql: `${ALL} LIMIT 3`, params: [] },
    { name: 'limit and offset', query: Band.select().limit(10).offset(20), sql: `${ALL} LIMIT 10 OFFSET 20`, params: [] },
    // SQLite needs a LIMIT before OFFSET: -1 means no limit.
    { name: 'offset alone', query: Band.select().offset(5), sql: `${ALL} LIMIT -1 OFFSET 5`, params: [] },
    {
      name: 'where, orderBy, limit and offset together',
      query: Band.select(Band.name).where(and(Band.popularity.gt(100), Band.active.eq(true))).orderBy(Band.name).limit(10).offset(30),
      sql: 'SELECT "name" FROM "band" WHERE ("popularity" > ?) AND ("active" = ?) ORDER BY "name" ASC LIMIT 10 OFFSET 30',
      params: [100, 1],
    },
  ];

  it.each(cases)('$name', ({ query, sql, params }) => {
    expect(query.toSQL()).toEqual({ sql, params, mode: 'all', readOnly: true, safeIntegers: false, table: 'band', statementMemo: expect.any(Object) });
  });

  // first() reads one row: LIMIT 1, and mode 'first' lets the engine stop after it.
  const firsts: Case[] = [
    { name: 'first', query: Band.select().first(), sql: `${ALL} LIMIT 1`, params: [] },
    { name: 'first overrides limit', query: Band.select(Band.id).limit(50).first(), sql: 'SELECT "id" FROM "band" LIMIT 1', params: [] },
    { name: 'first keeps offset', query: Band.select(Band.id).offset(4).first(), sql: 'SELECT "id" FROM "band" LIMIT 1 OFFSET 4', params: [] },
    {
      name: 'first with where and orderBy',
      query: Band.select().where(Band.active.eq(true)).orderBy(Band.popularity, 'desc').first(),
      sql: `${ALL} WHERE "active" = ? ORDER BY "popularity" DESC LIMIT 1`,
      params: [1],
    },
  ];

  it.each(firsts)('$name', ({ query, sql, params }) => {
    expect(query.toSQL()).toEqual({ sql, params, mode: 'first', readOnly: true, safeIntegers: false, table: 'band', statementMemo: expect.any(Object) });
  });
});

describe('count, exists, tableExists', () => {
  const cases: Case[] = [
    { name: 'count', query: Band.count(), sql: 'SELECT COUNT(*) AS "count" FROM "band"', params: [] },
    {
      name: 'count with where',
      query: Band.count().where(Band.active.eq(true)),
      sql: 'SELECT COUNT(*) AS "count" FROM "band" WHERE "active" = ?',
      params: [1],
    },
    {
      name: 'count with two wheres',
      query: Band.count().where(Band.active.eq(true)).where(Band.popularity.gt(3)),
      sql: 'SELECT COUNT(*) AS "count" FROM "band" WHERE ("active" = ?) AND ("popularity" > ?)',
      params: [1, 3],
    },
    { name: 'exists', query: Band.exists(), sql: 'SELECT EXISTS(SELECT 1 FROM "band") AS "exists"', params: [] },
    {
      name: 'exists with where',
      query: Band.exists().where(Band.name.eq('Pythonistas')),
      sql: 'SELECT EXISTS(SELECT 1 FROM "band" WHERE "name" = ?) AS "exists"',
      params: ['Pythonistas'],
    },
    {
      name: 'tableExists passes the name as a parameter',
      query: Band.tableExists(),
      sql: `SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?) AS "exists"`,
      params: ['band'],
    },
  ];

  it.each(cases)('$name', ({ query, sql, params }) => {
    // Statements carry their shape's statementMemo; tableExists (not a statement shape) has none.
    expect(query.toSQL()).toMatchObject({ sql, params, mode: 'all', readOnly: true, safeIntegers: false, table: 'band' });
  });
});

describe('values in conditions are encoded by column type', () => {
  const epoch = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
  const cases: { name: string; query: Query<unknown>; params: unknown[] }[] = [
    { name: 'boolean true -> 1', query: Everything.select().where(Everything.flag.eq(true)), params: [1] },
    { name: 'boolean false -> 0', query: Everything.select().where(Everything.flag.eq(false)), params: [0] },
    { name: 'boolean in-list', query: Everything.select().where(Everything.flag.in([true, false])), params: [1, 0] },
    { name: 'Date -> ISO-8601 string', query: Everything.select().where(Everything.at.gt(epoch)), params: ['2024-01-02T03:04:05.006Z'] },
    { name: 'json -> JSON text', query: Everything.select().where(Everything.data.eq({ tags: ['a', "b'c"] })), params: ['{"tags":["a","b\'c"]}'] },
    { name: 'bigint stays bigint', query: Everything.select().where(Everything.big.eq(9007199254740993n)), params: [9007199254740993n] },
    { name: 'a whole number for a bigint column -> bigint', query: Everything.select().where(Everything.big.eq(7 as unknown as bigint)), params: [7n] },
    { name: 'real keeps fractions', query: Everything.select().where(Everything.ratio.lt(0.25)), params: [0.25] },
    { name: 'nullable text', query: Everything.select().where(Everything.note.eq('n')), params: ['n'] },
  ];

  it.each(cases)('$name', ({ query, params }) => {
    expect(query.toSQL().params).toEqual(params);
  });

  it('a selection with a bigint column reads integers as bigint (safeIntegers)', () => {
    expect(Everything.select().toSQL().safeIntegers).toBe(true);
    expect(Everything.select(Everything.big).toSQL().safeIntegers).toBe(true);
    expect(Everything.select(Everything.amount, Everything.flag).toSQL().safeIntegers).toBe(false);
    expect(Everything.count().toSQL().safeIntegers).toBe(false);
  });
});

describe('identifiers are quoted', () => {
  const Weird = defineTable('we"ird', { 'co"l': text(), 'select from': text() });

  it('a table named we"ird with a column co"l', () => {
    const query = Weird.select(Weird['co"l']).where(Weird['co"l'].eq('x')).orderBy(Weird['select from'], 'desc');
    expect(query.toSQL()).toMatchObject({
      sql: 'SELECT "co""l" FROM "we""ird" WHERE "co""l" = ? ORDER BY "select from" DESC',
      params: ['x'],
      table: 'we"ird',
    });
    expect(Weird.count().toSQL().sql).toBe('SELECT COUNT(*) AS "count" FROM "we""ird"');
    // The table name is a parameter here, so it is passed unquoted.
    expect(Weird.tableExists().toSQL().params).toEqual(['we"ird']);
  });
});

describe('builders are immutable', () => {
  it('where, orderBy, limit, offset and first return new queries and leave the original alone', () => {
    const base = Band.select(Band.id);
    const derived = [base.where(Band.id.eq(1)), base.orderBy(Band.id), base.limit(1), base.offset(1), base.first()];
    for (const query of derived) expect(query).not.toBe(base);
    expect(base.toSQL()).toMatchObject({ sql: 'SELECT "id" FROM "band"', params: [] });
  });

  it('a condition can be reused in several queries', () => {
    const popular = Band.popularity.gt(100);
    expect(Band.select(Band.id).where(popular).toSQL().params).toEqual([100]);
    expect(Band.count().where(popular).where(popular).toSQL()).toMatchObject({
      sql: 'SELECT COUNT(*) AS "count" FROM "band" WHERE ("popularity" > ?) AND ("popularity" > ?)',
      params: [100, 100],
    });
  });
});
