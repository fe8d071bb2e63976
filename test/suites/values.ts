/**
 * The same JavaScript values on every engine: each column type written and read back, compared,
 * aggregated and used in conditions, with the very same expected values for SQLite and
 * PostgreSQL (bigint as `bigint`, counts and integers as numbers, numeric as exact decimal
 * strings, dates at UTC midnight, json as the value it was). Where PostgreSQL's own type
 * normalises what it stores (time of day, uuid case), the test says so and asserts it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  avg,
  bigint,
  boolean,
  bytes,
  coalesce,
  count,
  date,
  defineTable,
  double,
  integer,
  json,
  max,
  min,
  numeric,
  real,
  serial,
  smallint,
  sum,
  text,
  time,
  timestamp,
  uuid,
  varchar,
} from '@picco/core';
import { dialectOf, type EngineUnderTest, type TestEngine } from './engines.js';

function valuesSchema(db: TestEngine) {
  return defineTable(
    'all_types',
    {
      id: serial(),
      small: smallint(),
      count_: integer(),
      big: bigint(),
      ratio: real(),
      precise: double(),
      amount: numeric({ digits: [12, 3] }),
      name: varchar({ length: 20 }),
      notes: text().nullable(),
      flag: boolean(),
      at: timestamp(),
      day: date(),
      clock: time(),
      key: uuid(),
      blob: bytes(),
      data: json<unknown>(),
    },
    { db },
  );
}

const rows = [
  {
    small: -32768,
    count_: 2_147_483_647,
    big: 2n ** 62n + 7n,
    ratio: 0.1,
    precise: -1.5e300,
    amount: '123456789.125',
    name: 'Zoë "quoted"',
    notes: null,
    flag: true,
    at: new Date('2026-11-27T20:00:00.123Z'),
    day: new Date('2024-02-29'),
    clock: '23:59:58',
    key: '0b6b5e76-1d8b-4b1e-9d6a-3a1f2c4d5e6f',
    blob: Buffer.from([0, 1, 254, 255]),
    data: { nested: [1, 'two', null, { deep: true }], text: 'it\'s "fine"' },
  },
  {
    small: 7,
    count_: -3,
    big: -5n,
    ratio: 2.5,
    precise: 0,
    amount: '-0.005',
    name: 'plain',
    notes: 'with notes',
    flag: false,
    at: new Date('1970-01-01T00:00:00.000Z'),
    day: new Date('1999-12-31'),
    clock: '00:00:00',
    key: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
    blob: Buffer.alloc(0),
    data: 'a JSON string, not an object',
  },
] as const;

export function runValuesSuite(engines: readonly EngineUnderTest[]): void {
  describe.each(engines)('values ($name)', (config) => {
    let engine: TestEngine;
    let cleanup: () => Promise<void>;
    let Types: ReturnType<typeof valuesSchema>;

    beforeEach(async () => {
      ({ engine, cleanup } = await config.create());
      Types = valuesSchema(engine);
      await Types.createTable();
      await Types.insert(rows.map((row) => ({ ...row })));
    });
    afterEach(async () => cleanup());

    it('reads every column type back as the value written', async () => {
      const read = await Types.select().orderBy(Types.id);
      expect(read).toEqual(rows.map((row, index) => ({ id: index + 1, ...row })));
      expect(typeof read[0]!.big).toBe('bigint');
      expect(read[0]!.at).toBeInstanceOf(Date);
      expect(Buffer.isBuffer(read[0]!.blob)).toBe(true);
    });

    it('returns the same values from RETURNING, joins-free expressions and first()', async () => {
      const [inserted] = await Types.insert({ ...rows[0], name: 'third' }).returning(Types.id, Types.amount, Types.big, Types.flag, Types.day);
      expect(inserted).toEqual({ id: 3, amount: '123456789.125', big: 2n ** 62n + 7n, flag: true, day: new Date('2024-02-29') });
      expect(await Types.select(Types.data).where(Types.id.eq(2)).first()).toEqual({ data: 'a JSON string, not an object' });
      expect(await Types.select(coalesce(Types.notes, 'none')).orderBy(Types.id)).toEqual([{ notes: 'none' }, { notes: 'with notes' }, { notes: 'none' }]); // coalesce() keeps its column's key, as Piccolo's
    });

    it('counts and aggregates to the same numbers: counts and integer sums as numbers, bigint sums as bigint, numeric exact', async () => {
      expect(await Types.count()).toBe(2);
      const totals = Types.select(count(), sum(Types.count_).as('integers'), sum(Types.big).as('bigints'), avg(Types.small), min(Types.at), max(Types.day));
      expect(await totals.first()).toEqual({
        count: 2,
        integers: 2_147_483_644,
        bigints: 2n ** 62n + 2n,
        avg: -16380.5,
        min: new Date('1970-01-01T00:00:00.000Z'),
        max: new Date('2024-02-29'),
      });
      expect(await Types.select(sum(Types.amount).as('total'), avg(Types.amount).as('mean')).first()).toEqual({ total: '123456789.120', mean: '61728394.560' });
      expect(await Types.select(sum(Types.count_).as('n')).where(Types.id.gt(5)).first()).toEqual({ n: null });
    });

    it('compares each type in conditions the same way', async () => {
      const ids = async (query: PromiseLike<{ id: number }[]>) => (await query).map((row) => row.id);
      expect(await ids(Types.select(Types.id).where(Types.amount.lt('0')))).toEqual([2]);
      expect(await ids(Types.select(Types.id).where(Types.amount.eq('123456789.125')))).toEqual([1]);
      expect(await ids(Types.select(Types.id).where(Types.big.gt(2n ** 62n)))).toEqual([1]);
      expect(await ids(Types.select(Types.id).where(Types.flag.eq(false)))).toEqual([2]);
      expect(await ids(Types.select(Types.id).where(Types.at.gt(new Date('2000-01-01'))))).toEqual([1]);
      expect(await ids(Types.select(Types.id).where(Types.day.between(new Date('1999-01-01'), new Date('2000-01-01'))))).toEqual([2]);
      expect(await ids(Types.select(Types.id).where(Types.key.in(['ffffffff-ffff-4fff-bfff-ffffffffffff'])))).toEqual([2]);
      expect(await ids(Types.select(Types.id).where(Types.notes.isNull()))).toEqual([1]);
      expect(await ids(Types.select(Types.id).orderBy(Types.notes, 'desc'))).toEqual([2, 1]);
      expect(await ids(Types.select(Types.id).orderBy(Types.notes))).toEqual([1, 2]);
    });

    it('updates with arithmetic on numeric exactly', async () => {
      await Types.update({ amount: Types.amount.plus('0.005') }).where(Types.id.eq(2));
      expect(await Types.select(Types.amount).where(Types.id.eq(2)).first()).toEqual({ amount: '0.000' });
    });

    it('normalises a time of day and a uuid on PostgreSQL (its types store them so), keeps them as written on SQLite', async () => {
      await Types.update({ clock: '07:30', key: '0B6B5E76-1D8B-4B1E-9D6A-3A1F2C4D5E6F' }).where(Types.id.eq(1));
      const postgres = dialectOf(engine) === 'postgres';
      expect(await Types.select(Types.clock, Types.key).where(Types.id.eq(1)).first()).toEqual({
        clock: postgres ? '07:30:00' : '07:30',
        key: postgres ? '0b6b5e76-1d8b-4b1e-9d6a-3a1f2c4d5e6f' : '0B6B5E76-1D8B-4B1E-9D6A-3A1F2C4D5E6F',
      });
    });
  });
}
