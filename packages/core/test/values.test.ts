/**
 * Values are stored exactly or refused, never changed silently (issue 8, items 10, 11, 15):
 * integers beyond 2^53, bigints beyond 64 bits, json NaN/Infinity/bigint/cycles, and
 * timestamps in SQLite's own format read as UTC whatever the process's time zone.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PiccoErrorCode, bigint, defineTable, integer, json, serial, timestamp } from '@picco/core';
import { RecordingEngine, catchPiccoError, expectMentions } from './helpers.js';

const engine = new RecordingEngine();
const Numbers = defineTable('numbers', { id: serial(), small: integer().nullable(), big: bigint().nullable(), data: json().nullable() }, { db: engine });

describe('integer() refuses bigints it would read back rounded (item 10)', () => {
  const beyond = 2n ** 53n;

  it.each([
    ['insert', () => Numbers.insert({ small: beyond as never })],
    ['where', () => Numbers.select().where(Numbers.small.eq(-beyond as never))],
    ['update', () => Numbers.update({ small: 2n ** 60n as never })],
    ['a default', () => defineTable('d', { n: integer({ default: 2n ** 60n as never }) }).createTable()],
  ])('%s', (_label, action) => {
    const error = catchPiccoError(action, PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['"', 'number.max_safe_integer', 'rounded', 'bigint() column']);
  });

  it('accepts bigints up to Number.MAX_SAFE_INTEGER, both signs', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(Numbers.insert({ small: max as never }).toSQL().params).toEqual([max]);
    expect(Numbers.insert({ small: -max as never }).toSQL().params).toEqual([-max]);
  });
});

describe('a refused value is shown as it is', () => {
  // JSON.stringify showed NaN and Infinity as "null", which the message then called a number.
  it.each([
    [Number.NaN, 'got number NaN'],
    [Number.POSITIVE_INFINITY, 'got number Infinity'],
    [Number.NEGATIVE_INFINITY, 'got number -Infinity'],
    [Symbol('s'), 'got symbol Symbol(s)'],
    [function named() {}, 'got function named'],
  ])('%s', (value, shown) => {
    const error = catchPiccoError(() => Numbers.insert({ small: value as never }), PiccoErrorCode.INVALID_QUERY);
    expect(error.message).toContain(shown);
  });
});

describe('bigint() refuses values beyond 64 bits (item 10)', () => {
  it.each([
    ['2^63 on insert', () => Numbers.insert({ big: 2n ** 63n })],
    ['-2^63 - 1 in a condition', () => Numbers.select().where(Numbers.big.gt(-(2n ** 63n) - 1n))],
    ['the number 1e20', () => Numbers.insert({ big: 1e20 as never })],
    ['a default of 2^70, found by createTable', () => defineTable('d', { n: bigint({ default: 2n ** 70n }) }).createTable()],
    ['a default of 2^70, found by a multi-row insert', () => defineTable('d', { id: serial(), n: bigint({ default: 2n ** 70n }) }, { db: engine }).insert([{ id: 1 }, { id: 2, n: 1n }])],
  ])('%s', (_label, action) => {
    const error = catchPiccoError(action, PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['64-bit', '-2^63 to 2^63 - 1', 'rounded float', 'text() column']);
  });

  it('keeps the extremes of the 64-bit range exact, in values and in DDL defaults', () => {
    expect(Numbers.insert({ big: 2n ** 63n - 1n }).toSQL().params).toEqual([2n ** 63n - 1n]);
    expect(Numbers.insert({ big: -(2n ** 63n) }).toSQL().params).toEqual([-(2n ** 63n)]);
    expect(defineTable('d', { n: bigint({ default: 2n ** 63n - 1n }) }).createTable().toSQL().sql).toContain('DEFAULT 9223372036854775807');
  });
});

describe('json() stores what it is given or refuses (items 10 and 15)', () => {
  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity nested in an array', [1, [Number.NEGATIVE_INFINITY]]],
    ['NaN in an object', { score: Number.NaN }],
  ])('refuses %s (JSON would store null)', (_label, value) => {
    const error = catchPiccoError(() => Numbers.insert({ data: value }), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['"data"', 'would store null', 'finite number']);
  });

  it('names the property that holds the non-finite number', () => {
    expectMentions(catchPiccoError(() => Numbers.insert({ data: { score: Number.NaN } }), PiccoErrorCode.INVALID_QUERY).message, ['at "score"']);
  });

  it('refuses a bigint inside the value, not with a bare TypeError', () => {
    const error = catchPiccoError(() => Numbers.update({ data: { total: 10n } }), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['"data"', 'json cannot represent', 'bigint', 'strings or numbers']);
  });

  it('refuses a cycle, not with a bare TypeError', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic['self'] = cyclic;
    const error = catchPiccoError(() => Numbers.select().where(Numbers.data.eq(cyclic)), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['"data"', 'circular reference', 'without the cycle']);
  });

  it.each([
    ['a Map', new Map([['a', 1]])],
    ['a Set nested in an object', { tags: new Set(['x']) }],
  ])('refuses %s (JSON would store {})', (_label, value) => {
    const error = catchPiccoError(() => Numbers.insert({ data: value }), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['"data"', 'would store it as {}', 'convert it first']);
  });

  const cyclicDefault: unknown[] = [];
  cyclicDefault.push(cyclicDefault);

  it.each([
    ['a bigint', { total: 1n }],
    ['NaN', [Number.NaN]],
    ['a cycle', cyclicDefault],
  ])('refuses a default holding %s', (_label, value) => {
    catchPiccoError(() => defineTable('d', { data: json({ default: value }) }).createTable(), PiccoErrorCode.INVALID_QUERY);
  });

  it('still stores null, nested nulls and ordinary values exactly', () => {
    expect(Numbers.insert({ data: { a: null, b: [1, null, 'null'], c: 1.5 } }).toSQL().params).toEqual(['{"a":null,"b":[1,null,"null"],"c":1.5}']);
    expect(Numbers.insert({ data: 'null' }).toSQL().params).toEqual(['"null"']);
    expect(Numbers.insert({ data: { empty: {}, list: [{}] } }).toSQL().params).toEqual(['{"empty":{},"list":[{}]}']);
  });
});

describe('timestamps (item 11)', () => {
  const Events = defineTable('events', { id: serial(), at: timestamp().nullable() }, { db: engine });

  it('refuses Dates outside the years SQLite understands', () => {
    const error = catchPiccoError(() => Events.insert({ at: new Date('+010000-01-01T00:00:00Z') }), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['"at"', 'year 10000', '0000 to 9999']);
  });

  it('compares and orders timestamps by time, whatever their spelling', () => {
    const at = new Date('2022-01-01T21:00:00Z');
    expect(Events.select(Events.id).where(Events.at.gte(at)).orderBy(Events.at).toSQL()).toMatchObject({
      sql: `SELECT "id" FROM "events" WHERE strftime('%Y-%m-%dT%H:%M:%fZ', "at") >= ? ORDER BY strftime('%Y-%m-%dT%H:%M:%fZ', "at") ASC`,
      params: ['2022-01-01T21:00:00.000Z'],
    });
    expect(Events.delete().where(Events.at.in([at])).toSQL().sql).toBe(`DELETE FROM "events" WHERE strftime('%Y-%m-%dT%H:%M:%fZ', "at") IN (?)`);
    expect(Events.select(Events.id).where(Events.at.isNull()).toSQL().sql).toBe(`SELECT "id" FROM "events" WHERE "at" IS NULL`);
  });

  it('indexes a timestamp column on the expression its comparisons use', () => {
    const Log = defineTable('log', { at: timestamp().index() });
    expect(Log.createTable().toSQL().sql).toBe(
      `CREATE TABLE "log" ("at" TEXT NOT NULL); CREATE INDEX "log_at_idx" ON "log" (strftime('%Y-%m-%dT%H:%M:%fZ', "at"))`,
    );
  });

  it("reads SQLite's own format as UTC under TZ=America/New_York (a child process with that time zone)", () => {
    // The decoding runs in a child whose TZ is set before anything touches a Date.
    const script = `
      import { defineTable, serial, timestamp } from '@picco/core';
      const stored = ['2022-01-01 21:00:00', '2022-01-01T21:00:00', '2022-01-01 21:00', '2022-01-01 21:00:00.250', '2022-01-01',
        '2022-01-01T21:00:00.000Z', '2022-01-01 23:00:00+02:00', '2022-07-01 12:00:00', null];
      const engine = {
        path: ':memory:?cache=shared',
        executeSync: () => ({ rows: stored.map((at, id) => ({ id, at })), changes: 0, lastInsertRowid: 0 }),
      };
      const Events = defineTable('events', { id: serial(), at: timestamp().nullable() }, { db: engine });
      const rows = Events.select().runSync();
      console.log(JSON.stringify({
        offsetMinutes: new Date(2022, 0, 1).getTimezoneOffset(),
        naive: new Date('2022-01-01 21:00:00').toISOString(),
        read: rows.map((row) => (row.at === null ? null : row.at.toISOString())),
      }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, TZ: 'America/New_York' }, encoding: 'utf8' });
    const result = JSON.parse(output) as { offsetMinutes: number; naive: string; read: (string | null)[] };
    // The child really ran five hours behind UTC: JavaScript's own parser reads the text as local time.
    expect(result.offsetMinutes).toBe(300);
    expect(result.naive).toBe('2022-01-02T02:00:00.000Z');
    expect(result.read).toEqual([
      '2022-01-01T21:00:00.000Z',
      '2022-01-01T21:00:00.000Z',
      '2022-01-01T21:00:00.000Z',
      '2022-01-01T21:00:00.250Z',
      '2022-01-01T00:00:00.000Z',
      '2022-01-01T21:00:00.000Z',
      '2022-01-01T21:00:00.000Z',
      '2022-07-01T12:00:00.000Z',
      null,
    ]);
  });
});
