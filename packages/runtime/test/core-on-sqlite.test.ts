/**
 * Core's answers to issue 8 (items 8, 10, 11, 12, 15) checked on real SQLite: the SQL core
 * compiles does what it says once it runs. (The refusals themselves are core's tests.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_CONDITION_HEIGHT, bigint, defineTable, integer, json, not, numeric, serial, text, timestamp } from '@picco/core';
import { SQLiteEngine } from '@picco/runtime';

let engine: SQLiteEngine;

beforeEach(() => {
  engine = new SQLiteEngine({ path: ':memory:?cache=shared' });
});
afterEach(() => engine.close());

describe('where(a, b) (item 8)', () => {
  it('a delete with two conditions removes the one row matching both', async () => {
    const Band = defineTable('band', { id: serial(), name: text(), popularity: integer() }, { db: engine });
    await Band.createTable();
    await Band.insert([
      { name: 'a', popularity: 1 },
      { name: 'b', popularity: 1 },
      { name: 'c', popularity: 1 },
      { name: 'a', popularity: 2 },
    ]);
    const result = await Band.delete().where(Band.popularity.eq(1), Band.name.eq('a'));
    expect(result.changes).toBe(1);
    expect(await Band.select(Band.name, Band.popularity).orderBy(Band.id)).toEqual([
      { name: 'b', popularity: 1 },
      { name: 'c', popularity: 1 },
      { name: 'a', popularity: 2 },
    ]);
  });
});

describe('exact round-trips (item 10)', () => {
  it('integers up to 2^53 - 1, bigints across the 64-bit range, json with nulls', async () => {
    const Values = defineTable('vals', { id: serial(), small: integer(), big: bigint({ default: 2n ** 63n - 1n }), data: json() }, { db: engine });
    await Values.createTable();
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    await Values.insert({ small: max as never, big: -(2n ** 63n), data: { a: null, b: [1.5, null] } });
    await Values.insert({ small: -Number.MAX_SAFE_INTEGER, data: [] });
    expect(await Values.select(Values.small, Values.big, Values.data).orderBy(Values.id)).toEqual([
      { small: Number.MAX_SAFE_INTEGER, big: -(2n ** 63n), data: { a: null, b: [1.5, null] } },
      { small: -Number.MAX_SAFE_INTEGER, big: 2n ** 63n - 1n, data: [] },
    ]);
  });
});

describe('timestamps in either format (item 11)', () => {
  const Event = () => defineTable('event', { id: serial(), name: text(), at: timestamp().index() }, { db: engine });

  async function seed() {
    const table = Event();
    await table.createTable();
    await table.insert({ name: 'picco 20:00', at: new Date('2022-01-01T20:00:00Z') });
    // What CURRENT_TIMESTAMP, datetime() and other tools write: UTC, with a space.
    await engine.raw(`INSERT INTO event (name, at) VALUES ('sqlite 21:00', '2022-01-01 21:00:00'), ('sqlite 19:00', '2022-01-01 19:00:00')`);
    await engine.raw(`INSERT INTO event (name, at) VALUES ('offset 20:30', '2022-01-01T22:30:00+02:00')`);
    await table.insert({ name: 'picco 22:00', at: new Date('2022-01-01T22:00:00Z') });
    return table;
  }

  it('gte(date) finds rows of both formats, and only the later ones', async () => {
    const table = await seed();
    const rows = await table.select(table.name).where(table.at.gte(new Date('2022-01-01T20:15:00Z'))).orderBy(table.at);
    expect(rows.map((row) => row.name)).toEqual(['offset 20:30', 'sqlite 21:00', 'picco 22:00']);
  });

  it('eq, lt, in and orderBy compare by time, not by spelling', async () => {
    const table = await seed();
    const names = async (query: PromiseLike<{ name: string }[]>) => (await query).map((row) => row.name);
    expect(await names(table.select(table.name).where(table.at.eq(new Date('2022-01-01T21:00:00Z'))))).toEqual(['sqlite 21:00']);
    expect(await names(table.select(table.name).where(table.at.lt(new Date('2022-01-01T20:00:00Z'))))).toEqual(['sqlite 19:00']);
    expect(await names(table.select(table.name).where(table.at.in([new Date('2022-01-01T19:00:00Z'), new Date('2022-01-01T20:30:00Z')])).orderBy(table.at))).toEqual([
      'sqlite 19:00',
      'offset 20:30',
    ]);
    expect(await names(table.select(table.name).orderBy(table.at, 'desc'))).toEqual(['picco 22:00', 'sqlite 21:00', 'offset 20:30', 'picco 20:00', 'sqlite 19:00']);
  });

  it('reads every format back as the UTC time it stands for', async () => {
    const table = await seed();
    const rows = await table.select(table.name, table.at).orderBy(table.at);
    expect(rows.map((row) => [row.name, row.at.toISOString()])).toEqual([
      ['sqlite 19:00', '2022-01-01T19:00:00.000Z'],
      ['picco 20:00', '2022-01-01T20:00:00.000Z'],
      ['offset 20:30', '2022-01-01T20:30:00.000Z'],
      ['sqlite 21:00', '2022-01-01T21:00:00.000Z'],
      ['picco 22:00', '2022-01-01T22:00:00.000Z'],
    ]);
  });

  it('SQLite uses the timestamp index for a range condition', async () => {
    const table = await seed();
    const { sql, params } = table.select(table.name).where(table.at.gte(new Date('2022-01-01T20:15:00Z'))).toSQL();
    const plan = await engine.raw<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
    expect(plan.map((step) => step.detail).join('\n')).toContain('USING INDEX event_at_idx');
  });
});

describe('index names (item 12)', () => {
  it('a_b.c and a.b_c both get their index, with ifNotExists', async () => {
    const First = defineTable('a_b', { c: integer().index() }, { db: engine });
    const Second = defineTable('a', { b_c: integer().index() }, { db: engine });
    await First.createTable({ ifNotExists: true });
    await Second.createTable({ ifNotExists: true });
    const indexes = await engine.raw<{ tbl_name: string }>(`SELECT tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY tbl_name`);
    expect(indexes).toEqual([{ tbl_name: 'a' }, { tbl_name: 'a_b' }]);
  });
});

describe('the deepest conditions Picco accepts run on SQLite (item 15)', () => {
  it(`where() chained ${MAX_CONDITION_HEIGHT - 1} times, and not() nested to height ${MAX_CONDITION_HEIGHT}`, async () => {
    const Item = defineTable('item', { id: serial(), n: integer() }, { db: engine });
    await Item.createTable();
    await Item.insert([{ n: 0 }, { n: 5000 }]);
    let chained = Item.select(Item.n);
    for (let index = 1; index < MAX_CONDITION_HEIGHT; index++) chained = chained.where(Item.n.ne(index));
    expect(await chained.orderBy(Item.n)).toEqual([{ n: 0 }, { n: 5000 }]);

    let nested = Item.n.eq(0);
    // An even number of NOTs: the condition still means n = 0.
    for (let depth = 2; depth < MAX_CONDITION_HEIGHT; depth++) nested = not(nested);
    expect(await Item.select(Item.n).where(nested)).toEqual([{ n: 0 }]);
  });
});

describe('a nullable numeric column', () => {
  it('holds NULL (its CHECK that values are stored as integers lets NULL through)', async () => {
    const Ticket = defineTable('ticket', { id: serial(), price: numeric({ digits: [5, 2] }).nullable() }, { db: engine });
    await Ticket.createTable();
    await Ticket.insert([{ price: '1.50' }, {}, { price: null }]);
    expect(await Ticket.select(Ticket.price).orderBy(Ticket.id)).toEqual([{ price: '1.50' }, { price: null }, { price: null }]);
    // Text smuggled in through raw SQL is still refused.
    await expect(engine.raw(`INSERT INTO ticket (price) VALUES ('1.50')`)).rejects.toThrow(/CHECK constraint failed/);
  });
});
