/**
 * The SQL a PostgresEngine's tables compile to (`toSQL()`, nothing runs): `$1..$n` in the
 * order of the values, PostgreSQL's types in the DDL, native ILIKE, ON CONFLICT, RETURNING,
 * and what PostgreSQL needs said to answer as SQLite does (NULLs first, AVG as a double). The
 * same tables on a SQLite-dialect engine still compile to SQLite's SQL. Running it is the
 * business of queries.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  PiccoErrorCode,
  avg,
  bigint,
  boolean,
  bytes,
  count,
  createTables,
  date,
  defineTable,
  double,
  excluded,
  foreignKey,
  integer,
  json,
  lower,
  now,
  numeric,
  real,
  round,
  serial,
  smallint,
  sum,
  text,
  time,
  timestamp,
  uuid,
  varchar,
  type Engine,
} from '@picco/core';
import { PostgresEngine } from '@picco/postgres';
import { bandSchema } from '../../../test/suites/band-schema.js';

// Never connects: compiling needs no server.
const DB = new PostgresEngine({ connectionString: 'postgresql://nobody@localhost:1/none' });

/** The behaviour suite's managers and bands, plus a numeric column. */
function schemaOn<E extends Engine>(db: E) {
  const { Manager, Band } = bandSchema(db);
  const Price = defineTable('price', { id: serial(), amount: numeric({ digits: [8, 2] }), label: text().nullable() }, { db });
  return { Manager, Band, Price };
}

const { Manager, Band, Price } = schemaOn(DB);

describe('statements', () => {
  it('numbers parameters $1..$n in the order of their values, subqueries included', () => {
    const query = Band.select(Band.name)
      .where(Band.popularity.gt(10), Band.name.in(['a', 'b']), Band.manager.in(Manager.select(Manager.id).where(Manager.name.eq('Guido'))))
      .limit(5)
      .offset(10);
    expect(query.toSQL()).toMatchObject({
      sql:
        'SELECT "name" FROM "band" WHERE ("popularity" > $1) AND ("name" IN ($2, $3)) AND ("manager" IN (SELECT "id" FROM "manager" WHERE "name" = $4)) LIMIT 5 OFFSET 10',
      params: [10, 'a', 'b', 'Guido'],
    });
  });

  it('writes an OFFSET without a LIMIT as itself (SQLite needs LIMIT -1)', () => {
    expect(Band.select(Band.id).offset(3).toSQL().sql).toBe('SELECT "id" FROM "band" OFFSET 3');
  });

  it('uses native ILIKE for ilike() and LIKE for like()', () => {
    expect(Band.select(Band.id).where(Band.name.ilike('py%')).toSQL().sql).toBe('SELECT "id" FROM "band" WHERE "name" ILIKE $1');
    expect(Band.select(Band.id).where(Band.name.like('Py%')).toSQL().sql).toBe('SELECT "id" FROM "band" WHERE "name" LIKE $1');
  });

  it('puts NULLs first in ascending order (as SQLite does) unless the column cannot be NULL', () => {
    expect(Band.select(Band.id).orderBy(Band.manager).orderBy(Band.name, 'desc').orderBy(Band.manager.name, 'desc').toSQL().sql).toBe(
      'SELECT "band"."id" AS "id" FROM "band" LEFT JOIN "manager" AS "manager" ON "band"."manager" = "manager"."id" ' +
        'ORDER BY "band"."manager" ASC NULLS FIRST, "band"."name" DESC, "manager"."name" DESC NULLS LAST',
    );
  });

  it('numbers every row of a multi-row insert, and sends numeric values as decimals', () => {
    expect(Price.insert([{ amount: '1.50' }, { amount: '20', label: 'x' }]).toSQL()).toMatchObject({
      sql: 'INSERT INTO "price" ("amount", "label") VALUES ($1, $2), ($3, $4)',
      params: ['1.50', null, '20.00', 'x'],
    });
    // The single-row shape (cached per column list) converts too, and a comparison does.
    expect(Price.insert({ amount: '-0.5' }).toSQL().params).toEqual(['-0.50']);
    expect(Price.insert({ amount: '7.25' }).toSQL().params).toEqual(['7.25']);
    expect(Price.select(Price.id).where(Price.amount.between('1', '2.5')).toSQL().params).toEqual(['1.00', '2.50']);
    expect(Price.update({ amount: '3' }).where(Price.amount.in(['1.1', '2'])).toSQL().params).toEqual(['3.00', '1.10', '2.00']);
  });

  it('writes ON CONFLICT with EXCLUDED, qualifying the table\'s own columns (a bare name is ambiguous there)', () => {
    const upsert = Band.insert({ name: 'Pythonistas', popularity: 5 })
      .onConflict({ target: Band.name, action: 'doUpdate', set: { popularity: Band.popularity.plus(excluded(Band.popularity)) }, where: Band.active.eq(true) })
      .returning(Band.id);
    expect(upsert.toSQL()).toMatchObject({
      sql:
        'INSERT INTO "band" ("name", "popularity") VALUES ($1, $2) ON CONFLICT ("name") DO UPDATE SET "popularity" = ("band"."popularity" + excluded."popularity") ' +
        'WHERE "band"."active" = $3 RETURNING "id"',
      params: ['Pythonistas', 5, 1],
    });
    expect(Band.insert({ name: 'x' }).onConflict('ignore').toSQL().sql).toBe('INSERT INTO "band" ("name") VALUES ($1) ON CONFLICT DO NOTHING');
  });

  it("refuses onConflict('replace'): PostgreSQL has no INSERT OR REPLACE, and DO UPDATE means something else", () => {
    expect(() => Band.insert({ name: 'x' }).onConflict('replace').toSQL()).toThrow(
      expect.objectContaining({ code: PiccoErrorCode.INVALID_QUERY, message: expect.stringMatching(/INSERT OR REPLACE.*doUpdate/s) }),
    );
  });

  it('refuses two ON CONFLICT clauses (SQLite tries several; PostgreSQL takes one)', () => {
    const twice = Band.insert({ name: 'x' })
      .onConflict({ target: Band.name, action: 'doNothing' })
      .onConflict({ target: Band.id, action: 'doNothing' });
    expect(() => twice.toSQL()).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_QUERY, message: expect.stringContaining('one ON CONFLICT clause') }));
    expect(() => Band.insert({ name: 'x' }).onConflict('ignore').onConflict({ target: Band.name, action: 'doNothing' }).toSQL()).toThrow(
      expect.objectContaining({ code: PiccoErrorCode.INVALID_QUERY }),
    );
  });

  it('picks rows by ctid for an UPDATE or DELETE filtered through a join (PostgreSQL has no rowid)', () => {
    expect(Band.delete().where(Band.manager.name.eq('Guido')).toSQL().sql).toBe(
      'DELETE FROM "band" WHERE ctid IN (SELECT "band".ctid FROM "band" LEFT JOIN "manager" AS "manager" ON "band"."manager" = "manager"."id" WHERE "manager"."name" = $1)',
    );
  });

  it('names the subquery of a distinct count (PostgreSQL 15 requires it), casts AVG to a double, and rounds through numeric', () => {
    expect(Band.count().distinct([Band.manager]).toSQL().sql).toBe('SELECT COUNT(*) AS "count" FROM (SELECT DISTINCT "manager" FROM "band") AS "rows"');
    expect(Band.select(avg(Band.popularity), sum(Band.popularity), count()).toSQL().sql).toBe(
      'SELECT CAST(AVG("popularity") AS double precision) AS "avg", SUM("popularity") AS "sum", COUNT(*) AS "count" FROM "band"',
    );
    expect(Price.select(avg(Price.amount)).toSQL().sql).toBe('SELECT AVG("amount") AS "avg" FROM "price"');
    expect(Band.select(round(Band.popularity, 1), lower(Band.name)).toSQL().sql).toBe(
      'SELECT CAST(ROUND(CAST("popularity" AS numeric), $1) AS double precision) AS "round", LOWER("name") AS "lower" FROM "band"',
    );
  });

  it('compares timestamps as they are, and now() is the statement\'s time', () => {
    const Event = defineTable('event', { id: serial(), at: timestamp() }, { db: DB });
    expect(Event.select(Event.id).where(Event.at.lt(now())).toSQL().sql).toBe('SELECT "id" FROM "event" WHERE "at" < statement_timestamp()');
  });

  it('keeps each dialect\'s text apart: the same tables on a SQLite engine compile to SQLite\'s SQL', () => {
    const sqliteEngine: Engine = { path: 'app.db', dialect: 'sqlite', executeSync: () => ({ rows: [], changes: 0, lastInsertRowid: 0 }), execute: async () => ({ rows: [], changes: 0, lastInsertRowid: 0 }), transaction: async (callback) => callback(), transactionSync: (callback) => callback() };
    const onSqlite = schemaOn(sqliteEngine);
    const build = (tables: ReturnType<typeof schemaOn>) => tables.Band.select(tables.Band.name).where(tables.Band.name.ilike('p%')).offset(1);
    // Compile the PostgreSQL one first: a shared cache would hand its text to SQLite.
    expect(build({ Manager, Band, Price }).toSQL().sql).toBe('SELECT "name" FROM "band" WHERE "name" ILIKE $1 OFFSET 1');
    expect(build(onSqlite).toSQL().sql).toBe('SELECT "name" FROM "band" WHERE "name" LIKE ? LIMIT -1 OFFSET 1');
  });
});

describe('DDL', () => {
  it('creates tables with PostgreSQL types, identity keys, defaults of each type, CHECKs for choices, indexes and foreign keys', () => {
    const Everything = defineTable(
      'everything',
      {
        id: serial(),
        small: smallint({ default: 3 }),
        plays: integer(),
        big: bigint({ default: 9007199254740993n }),
        ratio: real({ default: Infinity }),
        exact: double(),
        amount: numeric({ digits: [10, 3], default: '1.5' }),
        name: varchar({ length: 20 }).unique(),
        size: text({ choices: ['s', 'm'] }).index(),
        flag: boolean({ default: false }),
        at: timestamp({ default: new Date('2024-05-01T10:00:00.000Z') }),
        day: date().nullable(),
        clock: time().nullable(),
        key: uuid().nullable(),
        blob: bytes({ default: new Uint8Array([0, 255]) }),
        data: json({ default: { a: 'it\'s' } }),
        manager: foreignKey(() => Manager, { onDelete: 'set null' }).nullable(),
      },
      { db: DB },
    );
    expect(Everything.createTable().toSQL()).toMatchObject({
      sql:
        'CREATE TABLE "everything" ("id" integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "small" smallint NOT NULL DEFAULT 3, "plays" integer NOT NULL, ' +
        '"big" bigint NOT NULL DEFAULT 9007199254740993, "ratio" double precision NOT NULL DEFAULT \'Infinity\'::double precision, "exact" double precision NOT NULL, ' +
        '"amount" numeric(10, 3) NOT NULL DEFAULT 1.500, "name" varchar(20) NOT NULL UNIQUE, "size" text NOT NULL CHECK ("size" IN (\'s\', \'m\')), ' +
        '"flag" boolean NOT NULL DEFAULT FALSE, "at" timestamptz NOT NULL DEFAULT \'2024-05-01T10:00:00.000Z\', "day" date, "clock" time, "key" uuid, ' +
        '"blob" bytea NOT NULL DEFAULT \'\\x00ff\'::bytea, "data" jsonb NOT NULL DEFAULT \'{"a":"it\'\'s"}\', ' +
        '"manager" integer REFERENCES "manager" ("id") ON DELETE SET NULL); CREATE INDEX "everything_size_idx" ON "everything" ("size")',
      mode: 'exec',
    });
  });

  it('refuses a foreign key to a table without a primary key (on SQLite it references the rowid)', () => {
    const Plain = defineTable('plain', { name: text() }, { db: DB });
    const Child = defineTable('child', { id: serial(), plain: foreignKey(() => Plain) }, { db: DB });
    expect(() => Child.createTable().toSQL()).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_QUERY, message: expect.stringContaining('no primary key') }));
  });

  it('asks pg_tables of the current schema whether a table exists, and orders createTables by foreign key', () => {
    expect(Band.tableExists().toSQL()).toMatchObject({
      sql: 'SELECT EXISTS(SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1) AS "exists"',
      params: ['band'],
    });
    expect(createTables([Band, Manager]).statements().map((statement) => statement.sql.split(' (')[0])).toEqual(['CREATE TABLE "manager"', 'CREATE TABLE "band"']);
  });
});
