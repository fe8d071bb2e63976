/**
 * Bad input fails early with a PiccoError: a stable `code`, and a message that names the
 * problem and says what to do instead. Casts (`as never`) stand for what untyped JavaScript,
 * or a value from outside the type system, can pass.
 */
import { describe, expect, it } from 'vitest';
import {
  alter,
  array,
  json,
  real,
  timestamp,
  PiccoError,
  PiccoErrorCode,
  RESERVED_COLUMN_NAMES,
  and,
  createTables,
  defineTable,
  dropTables,
  date,
  foreignKey,
  integer,
  not,
  now,
  or,
  serial,
  text,
  varchar,
  type Query,
} from '@picco/core';
import { FakeEngine, RecordingEngine, catchPiccoError, expectMentions } from './helpers.js';
import { Band, Everything, Manager } from './schema.js';

interface Case {
  name: string;
  action: () => unknown;
  /** Key words the message must contain (case-insensitive). */
  words: string[];
}

function expectInvalidQuery(cases: Case[]): void {
  it.each(cases)('$name', ({ action, words }) => {
    const error = catchPiccoError(action, PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, words);
  });
}

describe('insert', () => {
  expectInvalidQuery([
    { name: 'an empty array', action: () => Band.insert([]), words: ['insert()', '"band"', 'non-empty array', 'Band.insert({ ... })'] },
    { name: 'null', action: () => Band.insert(null as never), words: ['insert()', 'row object'] },
    { name: 'a string row', action: () => Band.insert(['x'] as never), words: ['insert()', 'row object'] },
    {
      name: 'an unknown column',
      action: () => Band.insert({ name: 'a', nmae: 'b' } as never),
      words: ['insert()', 'unknown column "nmae"', 'its columns are: id, name, popularity, active, manager'],
    },
    { name: 'a missing required column', action: () => Band.insert({ popularity: 1 } as never), words: ['missing "name"', 'required', 'give every row a "name"'] },
    {
      name: 'a required column missing from one row of several',
      action: () => Band.insert([{ name: 'a' }, { popularity: 2 } as never]),
      words: ['row 1', 'no value for "name"', 'not nullable', 'give it a value'],
    },
    { name: 'null for a required column', action: () => Band.insert({ name: null } as never), words: ['no value for "name"', 'not nullable'] },
    { name: 'onConflict with an unknown action', action: () => Band.insert({ name: 'a' }).onConflict('skip' as never), words: ['onConflict()', "'abort', 'ignore' or 'replace'", '"skip"'] },
    { name: 'returning a column of another table', action: () => Band.insert({ name: 'a' }).returning(Manager.name), words: ['returning()', 'manager.name', 'not one of its columns'] },
  ]);
});

describe('update and delete', () => {
  expectInvalidQuery([
    { name: 'update with an unknown column', action: () => Band.update({ nmae: 'x' } as never), words: ['update()', 'unknown column "nmae"', 'its columns are'] },
    { name: 'update with no values', action: () => Band.update({}), words: ['update()', 'no values to set', 'at least one column'] },
    { name: 'update with only undefined values', action: () => Band.update({ name: undefined }), words: ['no values to set'] },
    { name: 'update with null instead of an object', action: () => Band.update(null as never), words: ['update()', 'object of new values'] },
    { name: 'update where on a column of another table', action: () => Band.update({ popularity: 1 }).where(Manager.id.eq(1)), words: ['update().where()', 'of another table', 'columns of band'] },
    { name: 'delete where on a column of another table', action: () => Band.delete().where(Manager.id.eq(1)), words: ['delete().where()', 'of another table'] },
    { name: 'delete returning a column of another table', action: () => Band.delete({ force: true }).returning(Manager.id), words: ['returning()', 'not one of its columns'] },
  ]);
});

describe('values of the wrong type', () => {
  expectInvalidQuery([
    { name: 'a string into a boolean (insert)', action: () => Band.insert({ name: 'a', active: 'yes' as never }), words: ['"active"', 'expects a boolean', 'got string "yes"', 'pass a boolean'] },
    { name: 'a number into a boolean (where)', action: () => Everything.select().where(Everything.flag.eq(1 as never)), words: ['"flag"', 'expects a boolean', 'got number 1'] },
    { name: 'a string into a boolean (update)', action: () => Band.update({ active: 'no' as never }), words: ['"active"', 'expects a boolean'] },
    { name: 'an invalid Date', action: () => Everything.select().where(Everything.at.lt(new Date('not a date'))), words: ['"at"', 'expects a valid Date', 'pass a valid date'] },
    { name: 'a date string instead of a Date', action: () => Everything.select().where(Everything.at.lt('2024-01-01' as never)), words: ['"at"', 'expects a valid Date', 'got string'] },
    { name: 'a fraction into an integer', action: () => Band.select().where(Band.popularity.eq(1.5)), words: ['"popularity"', 'expects an integer', 'got number 1.5'] },
    { name: 'a string into an integer', action: () => Band.update({ popularity: '3' as never }), words: ['"popularity"', 'expects an integer'] },
    { name: 'a number into text', action: () => Band.select().where(Band.name.eq(5 as never)), words: ['"name"', 'expects a string'] },
    { name: 'a fraction into a bigint', action: () => Everything.select().where(Everything.big.eq(1.5 as never)), words: ['"big"', 'expects a bigint'] },
    { name: 'a string into a real', action: () => Everything.select().where(Everything.ratio.gt('1' as never)), words: ['"ratio"', 'expects a number'] },
    { name: 'a function into json', action: () => Everything.select().where(Everything.data.eq((() => 1) as never)), words: ['"data"', 'JSON-serializable'] },
    { name: 'a wrong value in an in-list', action: () => Band.select().where(Band.id.in([1, 'two' as never])), words: ['"id"', 'expects an integer', '"two"'] },
    { name: 'a bad default, found by createTable', action: () => defineTable('t', { c: integer({ default: 'zero' as never }) }).createTable(), words: ['"c"', 'expects an integer'] },
  ]);
});

describe('select, where and orderBy with foreign or non-columns', () => {
  expectInvalidQuery([
    { name: 'select a string', action: () => Band.select('name' as never), words: ['select()', 'table "band"', 'name', 'not one of its columns', 'use columns of band itself'] },
    { name: 'select null', action: () => Band.select(null as never), words: ['select()', 'not one of its columns'] },
    { name: 'select a column of another table', action: () => Band.select(Manager.name as never), words: ['select()', 'manager.name', 'id, name, popularity, active, manager'] },
    {
      name: 'select a same-named column of a same-named table defined twice',
      action: () => Band.select(defineTable('band', { name: text() }).name as never),
      words: ['select()', 'band.name', 'not one of its columns'],
    },
    { name: 'where on a column of another table', action: () => Band.select().where(Manager.name.eq('x')), words: ['where()', 'table "band"', '"name" of another table', 'columns of band'] },
    { name: 'where with it nested in and/or/not', action: () => Band.select().where(and(Band.id.eq(1), or(not(Manager.id.eq(2))))), words: ['where()', 'of another table'] },
    { name: 'count().where on another table', action: () => Band.count().where(Manager.id.eq(1)), words: ['where()', 'of another table'] },
    { name: 'exists().where on another table', action: () => Band.exists().where(Manager.id.isNull()), words: ['where()', 'of another table'] },
    { name: 'where with a non-condition', action: () => Band.select().where('name = 1' as never), words: ['expected a condition', "Band.name.eq('x')", 'got string'] },
    { name: 'and() with null', action: () => and(Band.id.eq(1), null as never), words: ['expected a condition', 'got null'] },
    { name: 'orderBy a column of another table', action: () => Band.select().orderBy(Manager.name as never), words: ['orderBy()', 'manager.name', 'not one of its columns'] },
    { name: 'orderBy an unknown direction', action: () => Band.select().orderBy(Band.name, 'up' as never), words: ['orderBy()', "'asc' or 'desc'", '"up"'] },
  ]);
});

describe('limit and offset', () => {
  expectInvalidQuery([
    { name: 'limit(-1)', action: () => Band.select().limit(-1), words: ['limit()', 'whole number', '0 or more', 'got -1'] },
    { name: 'limit(1.5)', action: () => Band.select().limit(1.5), words: ['limit()', 'whole number', 'got 1.5'] },
    { name: 'limit(NaN)', action: () => Band.select().limit(Number.NaN), words: ['limit()', 'got nan'] },
    { name: 'limit(Infinity)', action: () => Band.select().limit(Number.POSITIVE_INFINITY), words: ['limit()', 'got infinity'] },
    { name: "limit('10')", action: () => Band.select().limit('10' as never), words: ['limit()', 'whole number'] },
    { name: 'offset(-1)', action: () => Band.select().offset(-1), words: ['offset()', 'whole number', 'got -1'] },
    { name: 'offset(2.5)', action: () => Band.select().offset(2.5), words: ['offset()', 'got 2.5'] },
  ]);
});

describe('table definitions', () => {
  const reserved = [...RESERVED_COLUMN_NAMES].filter((name) => name !== '__proto__');

  it('reserves every table method and the thenable "then"', () => {
    for (const name of ['select', 'insert', 'update', 'delete', 'count', 'exists', 'tableExists', 'createTable', 'dropTable', 'then']) {
      expect(RESERVED_COLUMN_NAMES.has(name), name).toBe(true);
    }
  });

  it.each(reserved)('a column named %s', (name) => {
    const error = catchPiccoError(() => defineTable('t', { id: serial(), [name]: text() }), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, [`defineTable("t")`, `cannot be called "${name}"`, 'is a table method', 'rename the property']);
  });

  it('a column named __proto__ (a computed key makes it an own property)', () => {
    const error = catchPiccoError(() => defineTable('t', { ['__proto__']: text() }), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['cannot be called "__proto__"']);
  });

  it.each(['$name', '$engine', '$x'])('a column named %s', (name) => {
    const error = catchPiccoError(() => defineTable('t', { [name]: text() }), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, [`cannot be called "${name}"`, 'starting with "$"', 'table metadata', `"${name.slice(1)}_"`]);
  });

  expectInvalidQuery([
    {
      name: 'two primary keys',
      action: () => defineTable('t', { id: serial(), code: text().primaryKey() }),
      words: ['table "t"', '2 primary key columns', '(id, code)', 'supports one', 'unique()'],
    },
    { name: 'varchar with length 0', action: () => defineTable('t', { c: varchar({ length: 0 }) }), words: ['varchar column "c"', 'positive whole length', 'varchar({ length: 50 })'] },
    { name: 'varchar with a negative length', action: () => defineTable('t', { c: varchar({ length: -3 }) }), words: ['positive whole length'] },
    { name: 'varchar with a fractional length', action: () => defineTable('t', { c: varchar({ length: 2.5 }) }), words: ['positive whole length'] },
    { name: 'varchar without a length', action: () => defineTable('t', { c: varchar({} as never) }), words: ['positive whole length'] },
    { name: 'varchar with a string length', action: () => defineTable('t', { c: varchar({ length: '50' as never }) }), words: ['positive whole length'] },
    { name: 'an empty column set', action: () => defineTable('t', {}), words: ['defineTable("t")', 'at least one column', '{ id: serial(), name: text() }'] },
    { name: 'columns that are not an object', action: () => defineTable('t', null as never), words: ['at least one column'] },
    { name: 'a column that is not a column definition', action: () => defineTable('t', { c: 'text' as never }), words: ['column "c"', 'not a column definition', 'text(), integer() or serial()'] },
    { name: 'an empty table name', action: () => defineTable('', { c: text() }), words: ['table name', 'non-empty string'] },
    { name: 'a table name that is not a string', action: () => defineTable(42 as never, { c: text() }), words: ['table name', 'got 42'] },
    {
      name: 'a foreign key to something that is not a table',
      action: () => defineTable('t', { m: foreignKey(() => ({ $name: 'x' }) as never) }).createTable(),
      words: ['foreignKey "t.m"', 'defineTable', 'foreignKey(() => Manager)'],
    },
    { name: 'a secret primary key', action: () => serial().secret(), words: ['primary key cannot be secret()'] },
    { name: 'array() of something that is not a column', action: () => array('integer' as never), words: ['array()', 'array(integer())', 'got string'] },
    { name: 'array() of json', action: () => array(json()), words: ['array() elements', 'got json', 'json() column holds any list'] },
    { name: 'array() of a column with a default', action: () => array(integer({ default: 1 })), words: ['without keys, defaults', 'got integer'] },
    { name: 'an array value that is not an array', action: () => defineTable('t', { id: serial(), a: array(integer()) }).insert({ a: 'x' as never }), words: ['"a" expects an array', '[1, 2, 3]'] },
    { name: 'an array element of the wrong type', action: () => defineTable('t', { id: serial(), a: array(timestamp()) }).insert({ a: ['2024' as never] }), words: ['"a[0]"', 'a valid Date'] },
    { name: 'an array of reals holding Infinity', action: () => defineTable('t', { id: serial(), a: array(real()) }).insert({ a: [Infinity] }), words: ['"a[0]"', 'finite number', 'no Infinity'] },
    { name: 'only secret columns', action: () => defineTable('t', { a: text().secret() }), words: ['table "t"', 'only secret() columns', 'at least one column visible'] },
    { name: 'autoUpdate(undefined)', action: () => integer().autoUpdate(undefined as never), words: ['autoUpdate()', 'function', 'now()', 'got undefined'] },
    { name: 'autoUpdate() with a value of the wrong type', action: () => defineTable('t', { n: integer().autoUpdate('x' as never) }), words: ['"n (autoUpdate)"', 'an integer'] },
    { name: 'autoUpdate() with an expression naming a column', action: () => integer().autoUpdate(Band.popularity as never), words: ['names no column', 'function'] },
    { name: 'autoUpdate(now()) on a date column', action: () => defineTable('t', { d: date().autoUpdate(now()) }), words: ['column "d" is date', 'gives a timestamp', 'function'] },
    { name: 'a foreign key to a string other than self', action: () => foreignKey('Manager' as never), words: ['foreignKey()', "'self'", '"Manager"'] },
    { name: 'an empty targetColumn', action: () => foreignKey(() => Manager, { targetColumn: '' as never }), words: ['targetColumn', 'UNIQUE column'] },
    { name: "foreignKey('self') to a missing column", action: () => defineTable('t', { id: serial(), up: foreignKey('self', { targetColumn: 'slug' }) }), words: ['"t.up"', 'targets "slug"', 'not a column of "t"', 'id, up'] },
    { name: "foreignKey('self') to a column that is not unique", action: () => defineTable('t', { id: serial(), slug: text(), up: foreignKey('self', { targetColumn: 'slug' }) }), words: ['"t.slug"', 'neither unique nor the primary key', 'unique()'] },
    { name: 'allColumns() with options that are not an object', action: () => Band.allColumns(null as never), words: ['allColumns()', 'exclude', 'includeSecrets'] },
    { name: 'allColumns({ exclude }) with a column of another table', action: () => Band.allColumns({ exclude: [Manager.id as never] }), words: ['allColumns({ exclude })', 'columns it would return'] },
  ]);

  it("addColumn() refuses foreignKey('self'), naming the thunk to use", () => {
    const error = catchPiccoError(() => alter(Band).addColumn('parent', foreignKey('self').nullable()), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ["foreignKey('self')", 'foreignKey(() => band)']);
  });
});

describe('createTables / dropTables', () => {
  const Other = new FakeEngine('other.db');
  const Elsewhere = defineTable('elsewhere', { id: serial() }, { db: Other });
  const Nowhere = defineTable('nowhere', { id: serial() });

  expectInvalidQuery([
    { name: 'createTables([])', action: () => createTables([]), words: ['createTables()', 'non-empty array', 'createTables([Manager, Band])'] },
    { name: 'dropTables([])', action: () => dropTables([]), words: ['dropTables()', 'non-empty array'] },
    { name: 'createTables(not an array)', action: () => createTables(Band as never), words: ['non-empty array'] },
    {
      name: 'createTables with tables on two engines',
      action: () => createTables([Band, Elsewhere]),
      words: ['createTables()', 'one engine', 'one transaction cannot span databases', '2 engines', 'once per engine'],
    },
    { name: 'dropTables with tables on two engines', action: () => dropTables([Elsewhere, Manager]), words: ['dropTables()', '2 engines'] },
    { name: 'createTables with an engine and none', action: () => createTables([Band, Nowhere]), words: ['2 engines'] },
    { name: 'createTables with tables without an engine', action: () => createTables([Nowhere]), words: ['createTables()', 'without an engine', '{ db: DB }'] },
  ]);
});

describe('UNFILTERED_MUTATION: update()/delete() without where()', () => {
  const engine = new RecordingEngine();
  const Song = defineTable('song', { id: serial(), title: text(), plays: integer({ default: 0 }) }, { db: engine });

  const unfiltered: { name: string; query: () => Query<unknown>; verb: string }[] = [
    { name: 'update()', query: () => Song.update({ plays: 0 }), verb: 'update' },
    { name: 'update().returning()', query: () => Song.update({ plays: 0 }).returning(Song.id), verb: 'update' },
    { name: 'delete()', query: () => Song.delete(), verb: 'delete' },
    { name: 'delete({ force: false })', query: () => Song.delete({ force: false }), verb: 'delete' },
  ];

  it.each(unfiltered)('$name: runSync() throws and nothing runs', ({ query, verb }) => {
    engine.executed.length = 0;
    const error = catchPiccoError(() => query().runSync(), PiccoErrorCode.UNFILTERED_MUTATION);
    expectMentions(error.message, [`${verb}() on "song"`, 'no where()', 'every row', 'add .where(...)', `{ force: true } to ${verb}()`]);
    expect(engine.executed).toEqual([]);
  });

  it.each(unfiltered)('$name: run() and await reject (never throw synchronously) and nothing runs', async ({ query }) => {
    engine.executed.length = 0;
    let pending: Promise<unknown> | undefined;
    expect(() => (pending = query().run())).not.toThrow();
    await expect(pending).rejects.toMatchObject({ name: 'PiccoError', code: PiccoErrorCode.UNFILTERED_MUTATION });
    await expect(query()).rejects.toBeInstanceOf(PiccoError);
    expect(engine.executed).toEqual([]);
  });

  it('toSQL() still shows the statement (the check is at execution)', () => {
    expect(Song.delete().toSQL().sql).toBe('DELETE FROM "song"');
  });

  it.each([
    { name: 'update with { force: true }', query: () => Song.update({ plays: 0 }, { force: true }), sql: 'UPDATE "song" SET "plays" = ?' },
    { name: 'delete with { force: true }', query: () => Song.delete({ force: true }), sql: 'DELETE FROM "song"' },
    { name: 'force survives returning()', query: () => Song.delete({ force: true }).returning(Song.id), sql: 'DELETE FROM "song" RETURNING "id"' },
    { name: 'update with where', query: () => Song.update({ plays: 1 }).where(Song.id.eq(1)), sql: 'UPDATE "song" SET "plays" = ? WHERE "id" = ?' },
    { name: 'delete with where', query: () => Song.delete().where(Song.title.like('x%')), sql: 'DELETE FROM "song" WHERE "title" LIKE ?' },
  ])('$name is allowed, sync and async', async ({ query, sql }) => {
    engine.executed.length = 0;
    query().runSync();
    await query().run();
    await query();
    expect(engine.executed.map((compiled) => compiled.sql)).toEqual([sql, sql, sql]);
  });
});

describe('a query without an engine', () => {
  const Loose = defineTable('loose', { id: serial(), name: text() });

  it('compiles, but runSync() throws and run() rejects, saying how to give it one', async () => {
    expect(Loose.select().toSQL().sql).toBe('SELECT "id", "name" FROM "loose"');
    for (const query of [Loose.select(), Loose.insert({ name: 'a' }), Loose.count(), Loose.createTable()] as Query<unknown>[]) {
      const error = catchPiccoError(() => query.runSync(), PiccoErrorCode.INVALID_QUERY);
      expectMentions(error.message, ['no engine', 'defineTable(name, columns, { db: DB })']);
      await expect(query.run()).rejects.toMatchObject({ code: PiccoErrorCode.INVALID_QUERY, message: error.message });
    }
  });

  it('reports the missing engine before the missing where()', () => {
    catchPiccoError(() => Loose.delete().runSync(), PiccoErrorCode.INVALID_QUERY);
  });
});
