/**
 * Type tests for the Piccolo parity features: secret columns, `Table.allColumns()`,
 * `autoUpdate()`, foreign keys to a target column and to their own table.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { array, bigint, cast, caseWhen, coalesce, day, defineTable, excluded, foreignKey, hour, integer, minute, month, now, nullIf, second, serial, text, timestamp, varchar, year } from '@picco/core';
import { FakeEngine } from './helpers.js';

declare const DB: FakeEngine<'app.db'>;

const User = defineTable('user', { id: serial(), username: varchar({ length: 100 }).unique(), password: varchar({ length: 255 }).secret() }, { db: DB });
const Session = defineTable('session', { id: serial(), user: foreignKey(() => User), token: text().secret().nullable() }, { db: DB });

describe('secret columns', () => {
  it('select() with no columns leaves them out of the row type', () => {
    expectTypeOf(User.select().runSync()).toEqualTypeOf<{ id: number; username: string }[]>();
    expectTypeOf(User.select().first().runSync()).toEqualTypeOf<{ id: number; username: string } | undefined>();
  });

  it('named, they are selected and typed', () => {
    expectTypeOf(User.select(User.username, User.password).runSync()).toEqualTypeOf<{ username: string; password: string }[]>();
    expectTypeOf(Session.select(Session.user.password).runSync()).toEqualTypeOf<{ 'user.password': string }[]>();
  });

  it('allColumns() leaves them out unless includeSecrets', () => {
    expectTypeOf(User.select(User.allColumns()).runSync()).toEqualTypeOf<{ id: number; username: string }[]>();
    expectTypeOf(User.select(User.allColumns({ includeSecrets: true })).runSync()).toEqualTypeOf<{ id: number; username: string; password: string }[]>();
    expectTypeOf(Session.select(Session.user.allColumns()).runSync()).toEqualTypeOf<{ 'user.id': number; 'user.username': string }[]>();
    expectTypeOf(Session.select(Session.user.allColumns({ includeSecrets: true })).runSync()).toEqualTypeOf<{ 'user.id': number; 'user.username': string; 'user.password': string }[]>();
  });

  it('returning() with no columns leaves them out; inserts, updates and upserts write them', () => {
    expectTypeOf(User.insert({ username: 'a', password: 'p' }).returning().runSync()).toEqualTypeOf<{ id: number; username: string }[]>();
    // @ts-expect-error a secret column is still required on insert
    User.insert({ username: 'a' });
    User.update({ password: 'new' }, { force: true });
    User.insert({ username: 'a', password: 'p' }).onConflict({ target: User.username, action: 'doUpdate', set: { password: excluded(User.password) } });
    // @ts-expect-error password is a string
    User.insert({ username: 'a', password: 'p' }).onConflict({ target: User.username, action: 'doUpdate', set: { password: 1 } });
  });
});

describe('Table.allColumns()', () => {
  const Manager = defineTable('manager', { id: serial(), name: varchar({ length: 50 }) }, { db: DB });
  const Band = defineTable('band', { id: serial(), name: varchar({ length: 50 }), manager: foreignKey(() => Manager).nullable() }, { db: DB });

  it('mixes with joined columns', () => {
    expectTypeOf(Band.select(Band.allColumns(), Band.manager.allColumns()).runSync()).toEqualTypeOf<
      { id: number; name: string; manager: number | null; 'manager.id': number | null; 'manager.name': string | null }[]
    >();
  });

  it('exclude takes its own columns only', () => {
    expectTypeOf(Band.select(Band.allColumns({ exclude: [Band.id, Band.manager] })).runSync()).toEqualTypeOf<{ name: string }[]>();
    // @ts-expect-error a column of another table
    Band.allColumns({ exclude: [Manager.id] });
    // @ts-expect-error the table's columns belong to its own queries
    Manager.select(Band.allColumns());
  });
});

describe('autoUpdate()', () => {
  it('takes a value of the column type, a function or an expression naming no column', () => {
    defineTable('a', { id: serial(), at: timestamp().nullable().autoUpdate(now()), by: integer().autoUpdate(() => 1), fixed: text().autoUpdate('x') }, { db: DB });
    // @ts-expect-error a string for a timestamp
    timestamp().autoUpdate('now');
    // @ts-expect-error a function returning the wrong type
    integer().autoUpdate(() => 'x');
    // @ts-expect-error an expression naming a column
    integer().autoUpdate(User.id);
  });
});

describe('foreign keys', () => {
  it('targetColumn: the value type is the target column type; the key must be a column', () => {
    const Manager = defineTable('tc_manager', { id: serial(), name: varchar({ length: 50 }).unique() }, { db: DB });
    const Band = defineTable('tc_band', { id: serial(), manager: foreignKey(() => Manager, { targetColumn: 'name' }) }, { db: DB });
    expectTypeOf(Band.select().runSync()).toEqualTypeOf<{ id: number; manager: string }[]>();
    expectTypeOf(Band.select(Band.manager.name).runSync()).toEqualTypeOf<{ 'manager.name': string }[]>();
    Band.insert({ manager: 'Guido' });
    // @ts-expect-error the key is the manager's name, a string
    Band.insert({ manager: 1 });
    // @ts-expect-error no such column
    foreignKey(() => Manager, { targetColumn: 'nmae' });
  });

  it("foreignKey('self'): the row types follow the table's own key, joins go on as deep as asked", () => {
    const Staff = defineTable('staff', { id: serial(), name: varchar({ length: 50 }), manager: foreignKey('self').nullable() }, { db: DB });
    expectTypeOf(Staff.select().runSync()).toEqualTypeOf<{ id: number; name: string; manager: number | null }[]>();
    expectTypeOf(Staff.select(Staff.manager.name, Staff.manager.manager.manager.name).runSync()).toEqualTypeOf<
      { 'manager.name': string | null; 'manager.manager.manager.name': string | null }[]
    >();
    Staff.insert({ name: 'a', manager: 1 });
    Staff.update({ manager: Staff.id }, { force: true });
    // @ts-expect-error the key is a number
    Staff.insert({ name: 'a', manager: 'x' });
    // @ts-expect-error no such column
    void Staff.manager.email;
    // @ts-expect-error joined columns of staff belong to staff's queries
    User.select(Staff.manager.name);
  });

  it("foreignKey('self', { targetColumn }) follows that column", () => {
    const Page = defineTable('page', { id: serial(), slug: text().unique(), parent: foreignKey('self', { targetColumn: 'slug' }).nullable() }, { db: DB });
    expectTypeOf(Page.select(Page.parent, Page.parent.slug).runSync()).toEqualTypeOf<{ parent: string | null; 'parent.slug': string | null }[]>();
  });

  it("reverse(): the key's table, from queries on the referenced table, nullable", () => {
    const Band = defineTable('rev_band', { id: serial(), name: varchar({ length: 50 }) }, { db: DB });
    const FanClub = defineTable('rev_fan_club', { id: serial(), address: text(), band: foreignKey(() => Band).unique() }, { db: DB });
    expectTypeOf(Band.select(Band.name, FanClub.band.reverse().address).runSync()).toEqualTypeOf<{ name: string; 'rev_fan_club.address': string | null }[]>();
    expectTypeOf(Band.select(FanClub.band.reverse().band.name).runSync()).toEqualTypeOf<{ 'rev_fan_club.band.name': string | null }[]>();
    // @ts-expect-error the reversed columns belong to the referenced table's queries
    FanClub.select(FanClub.band.reverse().address);
    // @ts-expect-error not a foreign key
    Band.name.reverse();
    const Member = defineTable('rev_member', { id: serial(), club: foreignKey(() => FanClub) }, { db: DB });
    // @ts-expect-error only a foreign key of a table's own columns reverses
    Member.club.band.reverse();
  });
});

describe('output()', () => {
  const Manager = defineTable('o_manager', { id: serial(), name: varchar({ length: 50 }) }, { db: DB });
  const Band = defineTable('o_band', { id: serial(), name: varchar({ length: 50 }), manager: foreignKey(() => Manager).nullable() }, { db: DB });

  it('asList: the one selected value per row', () => {
    expectTypeOf(Band.select(Band.name).output({ asList: true }).runSync()).toEqualTypeOf<string[]>();
    expectTypeOf(Band.select(Band.manager.name).output({ asList: true }).first().runSync()).toEqualTypeOf<string | null | undefined>();
    // @ts-expect-error two selected values
    Band.select(Band.name, Band.id).output({ asList: true });
    // @ts-expect-error every column
    Band.select().output({ asList: true });
  });

  it('asJson: a string, and nothing chains after it', () => {
    expectTypeOf(Band.select(Band.name).output({ asJson: true }).runSync()).toEqualTypeOf<string>();
    // @ts-expect-error asJson is the last step
    Band.select(Band.name).output({ asJson: true }).where(Band.id.eq(1));
  });
});

describe('columns()', () => {
  const Manager = defineTable('c_manager', { id: serial(), name: varchar({ length: 50 }) }, { db: DB });
  const Band = defineTable('c_band', { id: serial(), name: varchar({ length: 50 }), manager: foreignKey(() => Manager).nullable() }, { db: DB });

  it('replaces "every column" of select(), then adds', () => {
    expectTypeOf(Band.select().columns(Band.name).runSync()).toEqualTypeOf<{ name: string }[]>();
    expectTypeOf(Band.select().where(Band.id.eq(1)).columns(Band.id).columns(Band.manager.name).runSync()).toEqualTypeOf<{ id: number; 'manager.name': string | null }[]>();
    expectTypeOf(Band.select(Band.name).columns(Band.id).first().runSync()).toEqualTypeOf<{ name: string; id: number } | undefined>();
  });

  it('takes columns of the query table only', () => {
    // @ts-expect-error a column of another table
    Band.select().columns(Manager.name);
    // @ts-expect-error not after output({ nested })
    Band.select(Band.manager.name).output({ nested: true }).columns(Band.id);
  });
});

describe('expressions: cast, nullIf, coalesce, date parts, caseWhen', () => {
  const Manager = defineTable('e_manager', { id: serial(), name: varchar({ length: 50 }) }, { db: DB });
  const Band = defineTable(
    'e_band',
    { id: serial(), name: varchar({ length: 50 }), manager: foreignKey(() => Manager).nullable(), popularity: integer(), formed: timestamp().nullable(), note: text().nullable() },
    { db: DB },
  );

  it('cast() keeps the key and nullability, and types the value by the target', () => {
    expectTypeOf(Band.select(cast(Band.popularity, 'text'), cast(Band.manager.name, 'integer')).runSync()).toEqualTypeOf<{ popularity: string; 'manager.name': number | null }[]>();
    expectTypeOf(Band.select(cast(Band.name, 'bigint').as('n')).runSync()).toEqualTypeOf<{ n: bigint }[]>();
    expectTypeOf(cast(Band.popularity.plus(1), 'real').key).toEqualTypeOf<'cast'>();
    // @ts-expect-error not a cast type
    cast(Band.popularity, 'varchar');
    // @ts-expect-error a column of another table
    Band.select(cast(Manager.name, 'integer'));
  });

  it('nullIf() is nullable; coalesce() keeps the key', () => {
    expectTypeOf(Band.select(Band.name, nullIf(Band.note, '')).runSync()).toEqualTypeOf<{ name: string; note: string | null }[]>();
    expectTypeOf(Band.select(coalesce(Band.note, 'none')).runSync()).toEqualTypeOf<{ note: string }[]>();
    // @ts-expect-error the value has the column's type
    nullIf(Band.popularity, '');
  });

  it('date parts are numbers, of Date expressions only', () => {
    expectTypeOf(Band.select(year(Band.formed), month(Band.formed), second(Band.formed).as('s')).runSync()).toEqualTypeOf<{ year: number | null; month: number | null; s: number | null }[]>();
    expectTypeOf(Band.select(day(now()), hour(now()), minute(now())).runSync()).toEqualTypeOf<{ day: number; hour: number; minute: number }[]>();
    // @ts-expect-error not a date
    year(Band.name);
  });

  it('caseWhen(): the union of its branches, nullable without else()', () => {
    const tier = caseWhen(Band.popularity.gte(1000), 'popular').when(Band.popularity.gte(100), 'known');
    expectTypeOf(Band.select(tier).runSync()).toEqualTypeOf<{ case: 'popular' | 'known' | null }[]>();
    expectTypeOf(Band.select(tier.else('new').as('tier')).runSync()).toEqualTypeOf<{ tier: 'popular' | 'known' | 'new' }[]>();
    expectTypeOf(Band.select(caseWhen(Band.id.eq(1), Band.manager.name).else(Band.name).as('who')).runSync()).toEqualTypeOf<{ who: string | null }[]>();
    Band.update({ name: caseWhen(Band.id.eq(1), 'one').else(Band.name) }, { force: true });
    // @ts-expect-error a branch of another table
    Band.select(caseWhen(Band.id.eq(1), Manager.name).else('x').as('x'));
    // @ts-expect-error a number for a text column
    Band.update({ name: caseWhen(Band.id.eq(1), 1).else(2) }, { force: true });
  });
});

describe('array()', () => {
  it('lists of the element type, nullable elements and nested arrays', () => {
    const Shelf = defineTable(
      'shelf',
      { id: serial(), counts: array(integer()), days: array(timestamp().nullable()), grid: array(array(bigint())), tags: array(text(), { default: [] }), maybe: array(integer()).nullable() },
      { db: DB },
    );
    expectTypeOf(Shelf.select().runSync()).toEqualTypeOf<{ id: number; counts: number[]; days: (Date | null)[]; grid: bigint[][]; tags: string[]; maybe: number[] | null }[]>();
    Shelf.insert({ counts: [1], days: [null], grid: [[1n]] });
    // @ts-expect-error strings in an integer array
    Shelf.insert({ counts: ['1'], days: [], grid: [] });
    // @ts-expect-error counts is required (no default)
    Shelf.insert({ days: [], grid: [] });
    Shelf.select().where(Shelf.counts.eq([1, 2]));
  });
});
