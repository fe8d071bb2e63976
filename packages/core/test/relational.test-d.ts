/**
 * Type tests for relational queries: joined columns and their row types, aggregates and
 * expressions, nested output, upserts, and the type errors for columns of the wrong table.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { avg, numeric, bytes, coalesce, count, date, defineTable, double, excluded, foreignKey, integer, lower, max, serial, smallint, sql, sum, time, timestamp, uuid, uuid4, varchar } from '@picco/core';
import { FakeEngine } from './helpers.js';

declare const DB: FakeEngine<'app.db'>;

const Manager = defineTable('manager', { id: serial(), name: varchar({ length: 50 }) }, { db: DB });
const Band = defineTable(
  'band',
  { id: serial(), name: varchar({ length: 50 }), manager: foreignKey(() => Manager).nullable(), popularity: integer({ default: 0 }) },
  { db: DB },
);
const Concert = defineTable('concert', { id: serial(), band1: foreignKey(() => Band), startsAt: timestamp() }, { db: DB });

describe('joined columns', () => {
  it('select infers joined keys and values; a nullable foreign key makes them nullable', () => {
    const rows = Band.select(Band.name, Band.manager.name).runSync();
    expectTypeOf(rows).toEqualTypeOf<{ name: string; 'manager.name': string | null }[]>();
  });

  it('deeper chains carry the path in the key and nullability from any step', () => {
    const rows = Concert.select(Concert.band1.name, Concert.band1.manager.name).runSync();
    expectTypeOf(rows).toEqualTypeOf<{ 'band1.name': string; 'band1.manager.name': string | null }[]>();
  });

  it('allColumns() of a joined table', () => {
    const rows = Band.select(Band.name, Band.manager.allColumns()).runSync();
    expectTypeOf(rows).toEqualTypeOf<{ name: string; 'manager.id': number | null; 'manager.name': string | null }[]>();
  });

  it('allColumns({ exclude }) leaves the excluded keys out of the row type', () => {
    const rows = Band.select(Band.name, Band.manager.allColumns({ exclude: [Band.manager.id] })).runSync();
    expectTypeOf(rows).toEqualTypeOf<{ name: string; 'manager.name': string | null }[]>();
  });

  it('$ reaches the same columns', () => {
    expectTypeOf(Band.manager.$.name.key).toEqualTypeOf<'manager.name'>();
  });

  it('nested output', () => {
    const rows = Concert.select(Concert.band1.name, Concert.band1.manager.name).output({ nested: true }).runSync();
    expectTypeOf(rows).toEqualTypeOf<{ band1: { name: string; manager: { name: string | null } } }[]>();
  });

  it('joined columns in where and orderBy', () => {
    Band.select().where(Band.manager.name.eq('Guido')).orderBy(Band.manager.name);
    // @ts-expect-error a joined name is a string
    Band.select().where(Band.manager.name.eq(1));
  });
});

describe('wrong columns are type errors', () => {
  it('columns of another table', () => {
    // @ts-expect-error Manager.name is not a column of band
    Band.select(Band.name, Manager.name);
    // @ts-expect-error a joined column belongs to the table the join starts from
    Manager.select(Band.manager.name);
    // @ts-expect-error aggregates of another table's column
    Band.select(sum(Concert.id));
  });

  it('unknown joined columns', () => {
    // @ts-expect-error manager has no column "email"
    void Band.manager.email;
    // @ts-expect-error name is not a foreign key: it leads nowhere
    void Band.name.id;
  });
});

describe('aggregates and expressions', () => {
  it('aggregates have their function name as key, or the alias', () => {
    const rows = Band.select(Band.manager.name, count(), avg(Band.popularity)).runSync();
    expectTypeOf(rows).toEqualTypeOf<{ 'manager.name': string | null; count: number; avg: number | null }[]>();
    // @ts-expect-error max of another table's column
    Band.select(max(Concert.startsAt));
    const grouped = Band.select(Band.manager.name, count().as('bands'), sum(Band.popularity)).groupBy(Band.manager.name).runSync();
    expectTypeOf(grouped).toEqualTypeOf<{ 'manager.name': string | null; bands: number; sum: number | null }[]>();
    const latest = Concert.select(max(Concert.startsAt).as('latest')).runSync();
    expectTypeOf(latest).toEqualTypeOf<{ latest: Date | null }[]>();
  });

  it('functions keep value types; coalesce with a value is never null', () => {
    const rows = Band.select(lower(Band.name), coalesce(Band.manager.name, 'none').as('manager')).runSync();
    expectTypeOf(rows).toEqualTypeOf<{ lower: string; manager: string }[]>();
  });

  it('update takes expressions of the same type', () => {
    Band.update({ popularity: Band.popularity.plus(10) }, { force: true });
    // @ts-expect-error a string expression for an integer column
    Band.update({ popularity: lower(Band.name) }, { force: true });
    // @ts-expect-error plus is for numbers
    Band.name.plus(1);
  });

  it('sql fragments are conditions', () => {
    Band.select().where(sql`${Band.name} = ${'x'}`);
  });
});

describe('upserts', () => {
  it('set is typed by the row', () => {
    Band.insert({ name: 'a' }).onConflict({ target: Band.name, action: 'doUpdate', set: { popularity: excluded(Band.popularity) } });
    Band.insert({ name: 'a' }).onConflict({ target: Band.name, action: 'doUpdate', set: [Band.popularity] });
    // @ts-expect-error popularity is a number
    Band.insert({ name: 'a' }).onConflict({ target: Band.name, action: 'doUpdate', set: { popularity: 'x' } });
  });
});

describe('column types', () => {
  it('choices narrow the value type; computed defaults make a column optional', () => {
    const Shirt = defineTable(
      'shirt',
      { id: uuid({ default: uuid4 }).primaryKey(), size: varchar({ length: 1, choices: ['s', 'm', 'l'] }), at: timestamp().default(() => new Date()), day: date().nullable(), slot: time(), data: bytes(), small: smallint(), ratio: double() },
      { db: DB },
    );
    expectTypeOf(Shirt.select(Shirt.size, Shirt.id, Shirt.day, Shirt.data).runSync()).toEqualTypeOf<{ size: 's' | 'm' | 'l'; id: string; day: Date | null; data: Uint8Array }[]>();
    Shirt.insert({ size: 'm', slot: '10:00', data: new Uint8Array(), small: 1, ratio: 0.5 });
    // @ts-expect-error not one of the choices
    Shirt.insert({ size: 'xl', slot: '10:00', data: new Uint8Array(), small: 1, ratio: 0.5 });
    // @ts-expect-error slot is required
    Shirt.insert({ size: 'm', data: new Uint8Array(), small: 1, ratio: 0.5 });
  });
});

describe('numeric', () => {
  it('is a numeric string; sums and averages stay strings; plus() is allowed, times() is not typed for it', () => {
    const Ticket = defineTable('ticket', { id: serial(), price: numeric({ digits: [5, 2] }) }, { db: DB });
    expectTypeOf(Ticket.select(Ticket.price, sum(Ticket.price), avg(Ticket.price)).runSync()).toEqualTypeOf<{ price: `${number}`; sum: `${number}` | null; avg: `${number}` | null }[]>();
    Ticket.update({ price: Ticket.price.plus('1.50') }, { force: true });
    // @ts-expect-error a plain string is not a numeric string
    Ticket.insert({ price: 'abc' });
  });
});

describe('batch', () => {
  it('pages are arrays of the query rows', async () => {
    for await (const rows of Band.select(Band.name).batch(10)) expectTypeOf(rows).toEqualTypeOf<{ name: string }[]>();
    for (const rows of Band.select(Band.manager.name).batchSync(10)) expectTypeOf(rows).toEqualTypeOf<{ 'manager.name': string | null }[]>();
  });
});
