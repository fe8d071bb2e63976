/**
 * Type tests (checked by tsc, never run): inferred rows, insert/update shapes, result types,
 * foreign-key value types, and the engine type every query carries (what the linter reads).
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  and,
  bigint,
  boolean,
  createTables,
  defineTable,
  dropTables,
  foreignKey,
  integer,
  json,
  real,
  serial,
  text,
  timestamp,
  varchar,
  type Condition,
  type Engine,
  type InsertRow,
  type RunResult,
  type SelectRow,
  type UpdateValues,
} from '@picco/core';
import { FakeEngine } from './helpers.js';

declare const DB: FakeEngine<'app.db'>;

const Manager = defineTable('manager', { id: serial(), name: varchar({ length: 50 }) }, { db: DB });
const Band = defineTable(
  'band',
  {
    id: serial(),
    name: varchar({ length: 50 }).unique(),
    popularity: integer({ default: 0 }),
    active: boolean({ default: true }),
    manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(),
  },
  { db: DB },
);

type BandRow = { id: number; name: string; popularity: number; active: boolean; manager: number | null };

describe('rows', () => {
  it('select() infers the full row', () => {
    expectTypeOf<SelectRow<typeof Band.$columns>>().toEqualTypeOf<BandRow>();
    const all = Band.select();
    expectTypeOf<Awaited<typeof all>>().toEqualTypeOf<BandRow[]>();
    expectTypeOf(Band.select().where(Band.id.eq(1)).orderBy(Band.name).limit(1).runSync()).toEqualTypeOf<BandRow[]>();
  });

  it('every column type maps to its JavaScript value', () => {
    const All = defineTable('all', {
      a: serial(),
      b: integer(),
      c: bigint(),
      d: real(),
      e: text(),
      f: varchar({ length: 2 }),
      g: boolean(),
      h: timestamp(),
      i: json<{ tags: string[] }>(),
      j: json(),
      k: text().nullable(),
    });
    expectTypeOf<SelectRow<typeof All.$columns>>().toEqualTypeOf<{
      a: number;
      b: number;
      c: bigint;
      d: number;
      e: string;
      f: string;
      g: boolean;
      h: Date;
      i: { tags: string[] };
      j: unknown;
      k: string | null;
    }>();
  });

  it('select(columns) narrows the row to those columns', () => {
    expectTypeOf(Band.select(Band.name).runSync()).toEqualTypeOf<{ name: string }[]>();
    expectTypeOf(Band.select(Band.name, Band.manager).runSync()).toEqualTypeOf<{ name: string; manager: number | null }[]>();
    // @ts-expect-error a column of another table
    Band.select(Manager.name);
  });

  it('first() is a row or undefined', () => {
    expectTypeOf(Band.select().first().runSync()).toEqualTypeOf<BandRow | undefined>();
    const first = Band.select().first();
    expectTypeOf<Awaited<typeof first>>().toEqualTypeOf<BandRow | undefined>();
    expectTypeOf(Band.select(Band.id).first().runSync()).toEqualTypeOf<{ id: number } | undefined>();
  });

  it('count() is a number, exists() and tableExists() booleans, DDL void', () => {
    expectTypeOf(Band.count().runSync()).toEqualTypeOf<number>();
    expectTypeOf(Band.count().where(Band.active.eq(true)).run()).toEqualTypeOf<Promise<number>>();
    expectTypeOf(Band.exists().runSync()).toEqualTypeOf<boolean>();
    expectTypeOf(Band.exists().where(Band.id.eq(1)).run()).toEqualTypeOf<Promise<boolean>>();
    expectTypeOf(Band.tableExists().runSync()).toEqualTypeOf<boolean>();
    expectTypeOf(Band.createTable().runSync()).toEqualTypeOf<void>();
    expectTypeOf(Band.dropTable().run()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(createTables([Manager, Band]).run()).toEqualTypeOf<Promise<void>>();
  });

  it('a query is awaitable as its result', () => {
    expectTypeOf<Awaited<ReturnType<typeof Band.count>>>().toEqualTypeOf<number>();
    expectTypeOf<Awaited<ReturnType<typeof Band.exists>>>().toEqualTypeOf<boolean>();
  });
});

describe('insert and update', () => {
  it('serial, default and nullable columns are optional; the rest required', () => {
    expectTypeOf<InsertRow<typeof Band.$columns>>().toEqualTypeOf<{
      name: string;
      id?: number;
      popularity?: number;
      active?: boolean;
      manager?: number | null;
    }>();
    Band.insert({ name: 'Pythonistas' });
    Band.insert({ name: 'Pythonistas', popularity: 1000, active: false, manager: null, id: 3 });
    Band.insert([{ name: 'a' }, { name: 'b', manager: 1 }]);
    // @ts-expect-error name is required
    Band.insert({ popularity: 1000 });
    // @ts-expect-error name is required in every row
    Band.insert([{ name: 'a' }, { popularity: 1 }]);
    // @ts-expect-error unknown column
    Band.insert({ name: 'a', nmae: 'b' });
    // @ts-expect-error wrong value type
    Band.insert({ name: 'a', active: 'yes' });
    // @ts-expect-error a required column is not nullable
    Band.insert({ name: null });
  });

  it('a json column with a default is optional, also with an explicit value type', () => {
    const Doc = defineTable('doc', { id: serial(), tags: json<string[]>({ default: [] }), body: json<{ text: string }>() });
    expectTypeOf<InsertRow<typeof Doc.$columns>>().toEqualTypeOf<{ body: { text: string }; id?: number; tags?: string[] }>();
    // @ts-expect-error the default must have the value type
    json<string[]>({ default: [1] });
  });

  it('update takes any subset, with value types checked', () => {
    // Readonly: the columns object is inferred `const`, and update never writes to the values.
    expectTypeOf<UpdateValues<typeof Band.$columns>>().toEqualTypeOf<Readonly<{
      id?: number;
      name?: string;
      popularity?: number;
      active?: boolean;
      manager?: number | null;
    }>>();
    Band.update({ popularity: 2000 }).where(Band.name.eq('Pythonistas'));
    // @ts-expect-error wrong value type
    Band.update({ popularity: '2000' });
    // @ts-expect-error name is not nullable
    Band.update({ name: null });
  });

  it('mutations resolve to RunResult, or to rows with returning', () => {
    expectTypeOf(Band.insert({ name: 'a' }).runSync()).toEqualTypeOf<RunResult>();
    expectTypeOf(Band.update({ active: false }).where(Band.id.eq(1)).runSync()).toEqualTypeOf<RunResult>();
    expectTypeOf(Band.delete().where(Band.id.eq(1)).runSync()).toEqualTypeOf<RunResult>();

    expectTypeOf(Band.insert({ name: 'a' }).returning().runSync()).toEqualTypeOf<BandRow[]>();
    expectTypeOf(Band.insert({ name: 'a' }).onConflict('ignore').returning(Band.id).runSync()).toEqualTypeOf<{ id: number }[]>();
    expectTypeOf(Band.update({ active: false }).where(Band.id.eq(1)).returning(Band.id, Band.active).runSync()).toEqualTypeOf<
      { id: number; active: boolean }[]
    >();
    expectTypeOf(Band.update({ active: false }, { force: true }).returning().runSync()).toEqualTypeOf<BandRow[]>();
    expectTypeOf(Band.delete().returning(Band.manager).where(Band.id.eq(1)).runSync()).toEqualTypeOf<{ manager: number | null }[]>();
    expectTypeOf(Band.delete({ force: true }).returning().run()).toEqualTypeOf<Promise<BandRow[]>>();
  });
});

describe('conditions', () => {
  it('comparison values have the column type; null only for nullable columns', () => {
    Band.name.eq('a');
    Band.manager.eq(null);
    Band.popularity.in([1, 2]);
    // @ts-expect-error a number for a text column
    Band.name.eq(1);
    // @ts-expect-error null for a non-nullable column (use isNull())
    Band.name.eq(null);
    // @ts-expect-error strings for an integer column
    Band.popularity.in(['1']);
    // @ts-expect-error gt(null) is never meaningful
    Band.manager.gt(null);
  });

  it('where() takes several conditions; in() an array or a Set, never a string', () => {
    expectTypeOf(Band.select().where(Band.id.eq(1), Band.name.eq('a')).runSync()).toEqualTypeOf<BandRow[]>();
    expectTypeOf(Band.delete().where(Band.id.eq(1), Band.active.eq(true)).runSync()).toEqualTypeOf<RunResult>();
    const filters: Condition[] = [];
    Band.select().where(...filters);
    Band.delete().where(and(...filters));
    Band.popularity.in(new Set([1, 2]));
    // @ts-expect-error a Set of the wrong type
    Band.popularity.in(new Set(['1']));
    // @ts-expect-error a string is not a list of values
    Band.name.in('abc');
    // @ts-expect-error not a value of the column
    Band.name.like(1);
  });
});

describe('foreign keys', () => {
  it('a foreign key holds the referenced primary key type', () => {
    const Country = defineTable('country', { code: varchar({ length: 2 }).primaryKey(), name: text() });
    const Big = defineTable('big', { id: bigint().primaryKey() });
    const NoKey = defineTable('nokey', { label: text() });
    const City = defineTable('city', {
      id: serial(),
      country: foreignKey(() => Country),
      big: foreignKey(() => Big).nullable(),
      band: foreignKey(() => Band),
      nokey: foreignKey(() => NoKey),
    });
    expectTypeOf<SelectRow<typeof City.$columns>>().toEqualTypeOf<{ id: number; country: string; big: bigint | null; band: number; nokey: number }>();
    City.country.eq('NZ');
    // @ts-expect-error a country code is a string
    City.country.eq(64);
    // @ts-expect-error a foreign key is required on insert unless nullable
    City.insert({ band: 1, nokey: 1 });
  });
});

declare const MEMORY: Engine & { readonly path: ':memory:' };

describe('the engine type travels with every query', () => {
  const Mem = defineTable('mem', { id: serial(), name: text() }, { db: MEMORY });

  it('an Engine with a literal path', () => {
    expectTypeOf(Mem.$engine).toEqualTypeOf<typeof MEMORY>();
    expectTypeOf(Mem.createTable().engine).toEqualTypeOf<typeof MEMORY>();
    expectTypeOf(Mem.createTable({ ifNotExists: true }).engine.path).toEqualTypeOf<':memory:'>();
    expectTypeOf(createTables([Mem]).engine).toEqualTypeOf<typeof MEMORY>();
    expectTypeOf(createTables([Mem]).engine.path).toEqualTypeOf<':memory:'>();
  });

  it('a class with a const path parameter, on every kind of query', () => {
    const engine = new FakeEngine(':memory:');
    type E = FakeEngine<':memory:'>;
    expectTypeOf(engine).toEqualTypeOf<E>();
    const Song = defineTable('song', { id: serial(), title: text() }, { db: engine });
    const Play = defineTable('play', { id: serial(), song: foreignKey(() => Song) }, { db: engine });

    expectTypeOf(Song.createTable().engine).toEqualTypeOf<E>();
    expectTypeOf(Song.createTable().engine.path).toEqualTypeOf<':memory:'>();
    expectTypeOf(Song.dropTable().engine).toEqualTypeOf<E>();
    expectTypeOf(Song.tableExists().engine).toEqualTypeOf<E>();
    expectTypeOf(Song.select().where(Song.id.eq(1)).orderBy(Song.title).limit(1).offset(1).engine).toEqualTypeOf<E>();
    expectTypeOf(Song.select(Song.title).first().engine).toEqualTypeOf<E>();
    expectTypeOf(Song.count().where(Song.id.gt(1)).engine).toEqualTypeOf<E>();
    expectTypeOf(Song.exists().engine).toEqualTypeOf<E>();
    expectTypeOf(Song.insert({ title: 'a' }).onConflict('ignore').returning().engine).toEqualTypeOf<E>();
    expectTypeOf(Song.update({ title: 'b' }).where(Song.id.eq(1)).returning(Song.id).engine).toEqualTypeOf<E>();
    expectTypeOf(Song.delete({ force: true }).engine).toEqualTypeOf<E>();
    expectTypeOf(createTables([Play, Song]).engine).toEqualTypeOf<E>();
    expectTypeOf(dropTables([Play, Song], { ifExists: true }).engine.path).toEqualTypeOf<':memory:'>();
  });

  it('a union of paths stays a union; a widened path is string', () => {
    const Either = defineTable('either', { id: serial() }, { db: new FakeEngine(Math.random() > 0.5 ? ':memory:' : 'app.db') });
    expectTypeOf(Either.createTable().engine.path).toEqualTypeOf<':memory:' | 'app.db'>();
    let path = ':memory:';
    path += '';
    const Wide = defineTable('wide', { id: serial() }, { db: new FakeEngine(path) });
    expectTypeOf(Wide.createTable().engine.path).toEqualTypeOf<string>();
  });

  it('a table without db runs on Engine', () => {
    const Loose = defineTable('loose', { id: serial() });
    expectTypeOf(Loose.select().engine).toEqualTypeOf<Engine>();
    expectTypeOf(Loose.createTable().engine.path).toEqualTypeOf<string>();
  });
});
