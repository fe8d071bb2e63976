/**
 * createTable, dropTable, createTables and dropTables. DDL takes no parameters: defaults are
 * written as SQL literals, encoded like inserted values.
 */
import { describe, expect, it } from 'vitest';
import {
  ColumnBuilder,
  PiccoErrorCode,
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
  type AnyTable,
} from '@picco/core';
import { FakeEngine, catchPiccoError, expectMentions } from './helpers.js';
import { Band, DB, Manager } from './schema.js';

/** The column definition a one-column table `t` compiles for `builder`. */
function columnSql(builder: ColumnBuilder<any, boolean, boolean, boolean>): string {
  const sql = defineTable('t', { c: builder }).createTable().toSQL().sql;
  const match = /^CREATE TABLE "t" \((.*)\)$/.exec(sql);
  expect(match, sql).not.toBeNull();
  return match![1]!;
}

describe('createTable: column definitions', () => {
  it.each([
    // Every type.
    { name: 'serial', builder: serial(), sql: '"c" INTEGER PRIMARY KEY' },
    { name: 'integer', builder: integer(), sql: '"c" INTEGER NOT NULL' },
    { name: 'bigint', builder: bigint(), sql: '"c" INTEGER NOT NULL' },
    { name: 'real', builder: real(), sql: '"c" REAL NOT NULL' },
    { name: 'text', builder: text(), sql: '"c" TEXT NOT NULL' },
    { name: 'varchar: length CHECK', builder: varchar({ length: 20 }), sql: '"c" VARCHAR(20) NOT NULL CHECK (length("c") <= 20)' },
    { name: 'boolean: 0/1 CHECK', builder: boolean(), sql: '"c" INTEGER NOT NULL CHECK ("c" IN (0, 1))' },
    { name: 'timestamp', builder: timestamp(), sql: '"c" TEXT NOT NULL' },
    { name: 'json: json_valid CHECK', builder: json(), sql: '"c" TEXT NOT NULL CHECK (json_valid("c"))' },

    // Modifiers.
    { name: 'nullable', builder: text().nullable(), sql: '"c" TEXT' },
    { name: 'nullable boolean keeps its CHECK', builder: boolean().nullable(), sql: '"c" INTEGER CHECK ("c" IN (0, 1))' },
    { name: 'unique', builder: integer().unique(), sql: '"c" INTEGER NOT NULL UNIQUE' },
    { name: 'unique nullable varchar', builder: varchar({ length: 3 }).unique().nullable(), sql: '"c" VARCHAR(3) UNIQUE CHECK (length("c") <= 3)' },
    // SQLite lets a non-INTEGER PRIMARY KEY hold NULL unless it says NOT NULL.
    { name: 'text primary key is NOT NULL', builder: text().primaryKey(), sql: '"c" TEXT PRIMARY KEY NOT NULL' },
    { name: 'integer primary key', builder: integer().primaryKey(), sql: '"c" INTEGER PRIMARY KEY NOT NULL' },
    { name: 'primary key implies unique', builder: text().primaryKey().unique(), sql: '"c" TEXT PRIMARY KEY NOT NULL' },

    // Default literals.
    { name: 'integer default', builder: integer({ default: 0 }), sql: '"c" INTEGER NOT NULL DEFAULT 0' },
    { name: 'negative default', builder: integer({ default: -5 }), sql: '"c" INTEGER NOT NULL DEFAULT -5' },
    { name: 'real default', builder: real({ default: 1.5 }), sql: '"c" REAL NOT NULL DEFAULT 1.5' },
    { name: 'bigint default', builder: bigint({ default: 9007199254740993n }), sql: '"c" INTEGER NOT NULL DEFAULT 9007199254740993' },
    { name: 'text default', builder: text({ default: 'hello' }), sql: `"c" TEXT NOT NULL DEFAULT 'hello'` },
    { name: 'text default with single quotes', builder: text({ default: "it's 'quoted'" }), sql: `"c" TEXT NOT NULL DEFAULT 'it''s ''quoted'''` },
    { name: 'text default with double quotes', builder: text({ default: 'say "hi"' }), sql: `"c" TEXT NOT NULL DEFAULT 'say "hi"'` },
    { name: 'empty text default', builder: text({ default: '' }), sql: `"c" TEXT NOT NULL DEFAULT ''` },
    { name: '.default() method', builder: text().default('x').nullable(), sql: `"c" TEXT DEFAULT 'x'` },
    { name: 'boolean default true -> 1', builder: boolean({ default: true }), sql: '"c" INTEGER NOT NULL DEFAULT 1 CHECK ("c" IN (0, 1))' },
    { name: 'boolean default false -> 0', builder: boolean({ default: false }), sql: '"c" INTEGER NOT NULL DEFAULT 0 CHECK ("c" IN (0, 1))' },
    { name: 'timestamp default -> ISO text', builder: timestamp({ default: new Date(0) }), sql: `"c" TEXT NOT NULL DEFAULT '1970-01-01T00:00:00.000Z'` },
    {
      name: 'json default -> JSON text, quotes doubled',
      builder: json({ default: { a: "it's", b: [1] } }),
      sql: `"c" TEXT NOT NULL DEFAULT '{"a":"it''s","b":[1]}' CHECK (json_valid("c"))`,
    },
    {
      name: 'varchar default and unique',
      builder: varchar({ length: 5, default: 'ab' }).unique(),
      sql: `"c" VARCHAR(5) NOT NULL UNIQUE DEFAULT 'ab' CHECK (length("c") <= 5)`,
    },
  ])('$name', ({ builder, sql }) => {
    expect(columnSql(builder)).toBe(sql);
  });
});

describe('createTable: whole statements', () => {
  const BAND_SQL =
    'CREATE TABLE "band" (' +
    '"id" INTEGER PRIMARY KEY, ' +
    '"name" VARCHAR(50) NOT NULL UNIQUE CHECK (length("name") <= 50), ' +
    '"popularity" INTEGER NOT NULL DEFAULT 0, ' +
    '"active" INTEGER NOT NULL DEFAULT 1 CHECK ("active" IN (0, 1)), ' +
    '"manager" INTEGER REFERENCES "manager" ("id") ON DELETE CASCADE)';

  it('Band from DESIGN.md, with a nullable foreign key and onDelete', () => {
    expect(Band.createTable().toSQL()).toEqual({ sql: BAND_SQL, params: [], mode: 'run', readOnly: false, safeIntegers: false, table: 'band' });
  });

  it('ifNotExists', () => {
    expect(Band.createTable({ ifNotExists: true }).toSQL().sql).toBe(BAND_SQL.replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS'));
    expect(Manager.createTable({ ifNotExists: false }).toSQL().sql).toBe(
      'CREATE TABLE "manager" ("id" INTEGER PRIMARY KEY, "name" VARCHAR(50) NOT NULL CHECK (length("name") <= 50))',
    );
  });

  it.each([
    { onDelete: 'cascade', sql: 'ON DELETE CASCADE' },
    { onDelete: 'restrict', sql: 'ON DELETE RESTRICT' },
    { onDelete: 'set null', sql: 'ON DELETE SET NULL' },
    { onDelete: 'set default', sql: 'ON DELETE SET DEFAULT' },
    { onDelete: 'no action', sql: 'ON DELETE NO ACTION' },
  ] as const)('foreign key onDelete $onDelete', ({ onDelete, sql }) => {
    expect(columnSql(foreignKey(() => Manager, { onDelete }).nullable())).toBe(`"c" INTEGER REFERENCES "manager" ("id") ${sql}`);
  });

  it('foreign key without onDelete, not nullable', () => {
    expect(columnSql(foreignKey(() => Manager))).toBe('"c" INTEGER NOT NULL REFERENCES "manager" ("id")');
  });

  it('foreign key to a table without a primary key references its rowid', () => {
    const Tag = defineTable('tag', { label: text() });
    expect(columnSql(foreignKey(() => Tag))).toBe('"c" INTEGER NOT NULL REFERENCES "tag" ("rowid")');
  });

  it('foreign key to a text primary key is TEXT and takes the key values', () => {
    const Country = defineTable('country', { code: varchar({ length: 2 }).primaryKey(), name: text() });
    const City = defineTable('city', { id: serial(), country: foreignKey(() => Country) });
    expect(City.createTable().toSQL().sql).toBe(
      'CREATE TABLE "city" ("id" INTEGER PRIMARY KEY, "country" VARCHAR(2) NOT NULL REFERENCES "country" ("code"))',
    );
    expect(City.insert({ country: 'NZ' }).toSQL().params).toEqual(['NZ']);
    expect(City.select().where(City.country.in(['NZ', 'AU'])).toSQL().params).toEqual(['NZ', 'AU']);
    catchPiccoError(() => City.insert({ country: 64 as unknown as string }), PiccoErrorCode.INVALID_QUERY);
  });

  it('a self-referencing foreign key', () => {
    const Node = defineTable('node', { id: serial(), parent: foreignKey((): AnyTable => Node).nullable() });
    expect(Node.createTable().toSQL().sql).toBe(
      'CREATE TABLE "node" ("id" INTEGER PRIMARY KEY, "parent" INTEGER REFERENCES "node" ("id"))',
    );
  });

  it('an indexed column adds a CREATE INDEX and runs in exec mode (two statements)', () => {
    const Song = defineTable('song', { id: serial(), title: text().index(), year: integer().index().nullable() });
    expect(Song.createTable().toSQL()).toEqual({
      sql:
        'CREATE TABLE "song" ("id" INTEGER PRIMARY KEY, "title" TEXT NOT NULL, "year" INTEGER); ' +
        'CREATE INDEX "song_title_idx" ON "song" ("title"); ' +
        'CREATE INDEX "song_year_idx" ON "song" ("year")',
      params: [],
      mode: 'exec',
      readOnly: false,
      safeIntegers: false,
      table: 'song',
    });
    const Single = defineTable('single', { title: text().index() });
    const { sql, mode } = Single.createTable({ ifNotExists: true }).toSQL();
    expect(mode).toBe('exec');
    expect(sql.split('; ')).toEqual([
      'CREATE TABLE IF NOT EXISTS "single" ("title" TEXT NOT NULL)',
      'CREATE INDEX IF NOT EXISTS "single_title_idx" ON "single" ("title")',
    ]);
  });

  it('a table named we"ird with a column co"l', () => {
    const Weird = defineTable('we"ird', { 'co"l': varchar({ length: 5, default: `a"b'c` }).index() });
    expect(Weird.createTable().toSQL().sql).toBe(
      `CREATE TABLE "we""ird" ("co""l" VARCHAR(5) NOT NULL DEFAULT 'a"b''c' CHECK (length("co""l") <= 5)); ` +
        'CREATE INDEX "we""ird_co""l_idx" ON "we""ird" ("co""l")',
    );
    expect(Weird.dropTable().toSQL().sql).toBe('DROP TABLE "we""ird"');
  });
});

describe('dropTable', () => {
  it.each([
    { name: 'plain', query: Band.dropTable(), sql: 'DROP TABLE "band"' },
    { name: 'ifExists', query: Band.dropTable({ ifExists: true }), sql: 'DROP TABLE IF EXISTS "band"' },
  ])('$name', ({ query, sql }) => {
    expect(query.toSQL()).toEqual({ sql, params: [], mode: 'run', readOnly: false, safeIntegers: false, table: 'band' });
  });
});

describe('createTables / dropTables: foreign-key order', () => {
  // label -> artist -> album -> track: each references the previous one.
  const Label = defineTable('label', { id: serial(), name: text() }, { db: DB });
  const Artist = defineTable('artist', { id: serial(), label: foreignKey(() => Label) }, { db: DB });
  const Album = defineTable('album', { id: serial(), artist: foreignKey(() => Artist), label: foreignKey(() => Label).nullable() }, { db: DB });
  const Track = defineTable('track', { id: serial(), album: foreignKey(() => Album) }, { db: DB });

  const tablesOf = (sqls: readonly string[]) => sqls.map((sql) => /^(?:CREATE|DROP) TABLE (?:IF (?:NOT )?EXISTS )?"(\w+)"/.exec(sql)?.[1]);

  it.each([
    { order: 'album, artist, label', given: [Album, Artist, Label] },
    { order: 'label, album, artist', given: [Label, Album, Artist] },
    { order: 'artist, label, album', given: [Artist, Label, Album] },
  ])('createTables([$order]) creates each table after those it references', ({ given }) => {
    const batch = createTables(given);
    const statements = batch.statements();
    expect(tablesOf(statements.map((s) => s.sql))).toEqual(['label', 'artist', 'album']);
    // Each statement is exactly that table's own createTable.
    expect(statements.map((s) => s.sql)).toEqual([Label, Artist, Album].map((table) => table.createTable().toSQL().sql));
    expect(batch.toSQL()).toEqual({
      sql: statements.map((s) => s.sql).join('; '),
      params: [],
      mode: 'exec',
      readOnly: false,
      safeIntegers: false,
      table: 'label',
    });
    expect(batch.engine).toBe(DB);
  });

  it('a four-table chain given backwards', () => {
    expect(tablesOf(createTables([Track, Album, Artist, Label]).statements().map((s) => s.sql))).toEqual(['label', 'artist', 'album', 'track']);
  });

  it('a referenced table outside the list is not added', () => {
    expect(tablesOf(createTables([Track, Album]).statements().map((s) => s.sql))).toEqual(['album', 'track']);
  });

  it('dropTables drops each table before those it references', () => {
    const statements = dropTables([Label, Track, Artist, Album]).statements().map((s) => s.sql);
    expect(statements).toEqual(['DROP TABLE "track"', 'DROP TABLE "album"', 'DROP TABLE "artist"', 'DROP TABLE "label"']);
  });

  it('options reach every statement', () => {
    const created = createTables([Artist, Label], { ifNotExists: true }).statements().map((s) => s.sql);
    expect(created.every((sql) => sql.startsWith('CREATE TABLE IF NOT EXISTS '))).toBe(true);
    const dropped = dropTables([Artist, Label], { ifExists: true }).statements().map((s) => s.sql);
    expect(dropped).toEqual(['DROP TABLE IF EXISTS "artist"', 'DROP TABLE IF EXISTS "label"']);
  });

  it('a foreign-key cycle is refused, naming the cycle and the way out', () => {
    const Left: AnyTable = defineTable('left', { id: serial(), right: foreignKey((): AnyTable => Right) }, { db: DB });
    const Right: AnyTable = defineTable('right', { id: serial(), left: foreignKey((): AnyTable => Left) }, { db: DB });
    const error = catchPiccoError(() => createTables([Left, Right]), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['createTables()', 'cycle', 'left -> right -> left', 'createTable()', 'created later']);
    catchPiccoError(() => dropTables([Right, Left]), PiccoErrorCode.INVALID_QUERY);
  });

  it('a self-reference is not a cycle', () => {
    const Employee = defineTable('employee', { id: serial(), boss: foreignKey((): AnyTable => Employee).nullable() }, { db: DB });
    expect(tablesOf(createTables([Employee, Label]).statements().map((s) => s.sql))).toEqual(['employee', 'label']);
  });

  it('tables on an engine of their own compile the same', () => {
    const Other = new FakeEngine('other.db');
    const A = defineTable('a', { id: serial() }, { db: Other });
    expect(createTables([A]).engine).toBe(Other);
    expect(createTables([A]).statements()[0]!.sql).toBe('CREATE TABLE "a" ("id" INTEGER PRIMARY KEY)');
  });
});
