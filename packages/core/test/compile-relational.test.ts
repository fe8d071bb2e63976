/**
 * Relational queries compile to the SQL expected (joins, aggregates, expressions, subqueries,
 * upserts, the `sql` template), their shapes are cached like every statement's, and misuse is
 * refused with a PiccoError.
 */
import { describe, expect, it } from 'vitest';
import {
  InsertQuery,
  alter,
  integer,
  PiccoErrorCode,
  QUERY_CHAIN_METHODS,
  CountQuery,
  DeleteQuery,
  ExistsQuery,
  FirstQuery,
  JsonQuery,
  SelectQuery,
  UpdateQuery,
  avg,
  caseWhen,
  cast,
  count,
  coalesce,
  month,
  nullIf,
  numeric,
  param,
  second,
  year,
  defineTable,
  excluded,
  exists,
  foreignKey,
  lower,
  max,
  notExists,
  now,
  random,
  round,
  serial,
  sql,
  sum,
  varchar,
} from '@picco/core';
import { catchPiccoError, expectMentions } from './helpers.js';
import { Band, DB, Everything, Manager } from './schema.js';

const Concert = defineTable('concert', { id: serial(), band1: foreignKey(() => Band), band2: foreignKey(() => Band).nullable() }, { db: DB });
const JOIN_MANAGER = 'LEFT JOIN "manager" AS "manager" ON "band"."manager" = "manager"."id"';

describe('joins through foreign keys', () => {
  it('selects, filters and orders by a joined column with one LEFT JOIN', () => {
    expect(Band.select(Band.name, Band.manager.name).where(Band.manager.name.eq('Guido')).orderBy(Band.manager.name, 'desc').toSQL()).toMatchObject({
      sql: `SELECT "band"."name" AS "name", "manager"."name" AS "manager.name" FROM "band" ${JOIN_MANAGER} WHERE "manager"."name" = ? ORDER BY "manager"."name" DESC`,
      params: ['Guido'],
    });
  });

  it('a join used only in where qualifies the plain selection', () => {
    expect(Band.select(Band.id).where(Band.manager.name.eq('x')).toSQL().sql).toBe(`SELECT "band"."id" AS "id" FROM "band" ${JOIN_MANAGER} WHERE "manager"."name" = ?`);
  });

  it('deeper chains join each step once, parents first, aliased by path', () => {
    expect(Concert.select(Concert.band1.manager.name, Concert.band1.name, Concert.band2.manager.name).toSQL().sql).toBe(
      'SELECT "band1.manager"."name" AS "band1.manager.name", "band1"."name" AS "band1.name", "band2.manager"."name" AS "band2.manager.name" FROM "concert"' +
        ' LEFT JOIN "band" AS "band1" ON "concert"."band1" = "band1"."id"' +
        ' LEFT JOIN "manager" AS "band1.manager" ON "band1"."manager" = "band1.manager"."id"' +
        ' LEFT JOIN "band" AS "band2" ON "concert"."band2" = "band2"."id"' +
        ' LEFT JOIN "manager" AS "band2.manager" ON "band2"."manager" = "band2.manager"."id"',
    );
  });

  it('joined column objects are made once: the same object, the same shape', () => {
    expect(Concert.band1.manager.name).toBe(Concert.band1.manager.name);
    expect(Band.manager.name).toBe(Band.manager.$.name);
    expect(Band.select(Band.manager.name).toSQL().sql).toBe(Band.select(Band.manager.name).toSQL().sql);
  });

  it('plain queries keep their SQL exactly', () => {
    expect(Band.select(Band.name).where(Band.id.eq(1)).toSQL().sql).toBe('SELECT "name" FROM "band" WHERE "id" = ?');
    expect(Band.select().toSQL().sql).toBe('SELECT "id", "name", "popularity", "active", "manager" FROM "band"');
  });

  it('update and delete on joined columns pick rows by rowid through a joining subquery', () => {
    expect(Band.delete().where(Band.manager.name.eq('x')).toSQL().sql).toBe(
      `DELETE FROM "band" WHERE "rowid" IN (SELECT "band"."rowid" FROM "band" ${JOIN_MANAGER} WHERE "manager"."name" = ?)`,
    );
  });

  it('a referenced column named like a Column member is reached through $', () => {
    const Lock = defineTable('lock', { id: serial(), key: varchar({ length: 10 }), eq: varchar({ length: 10 }) }, { db: DB });
    const Door = defineTable('door', { id: serial(), lock: foreignKey(() => Lock) }, { db: DB });
    // The Column's own members win on the foreign key itself...
    expect(Door.lock.key).toBe('lock');
    expect(typeof Door.lock.eq).toBe('function');
    // ...and `$` always leads to the referenced table's columns.
    expect(Door.select(Door.lock.$.key, Door.lock.$.eq).toSQL().sql).toBe(
      'SELECT "lock"."key" AS "lock.key", "lock"."eq" AS "lock.eq" FROM "door" LEFT JOIN "lock" AS "lock" ON "door"."lock" = "lock"."id"',
    );
    // An unknown name is undefined, as on any object (no join is invented).
    expect((Door.lock as unknown as Record<string, unknown>)['missing']).toBeUndefined();
  });

  it('a join path named like the table itself gets another alias, never an ambiguous one', () => {
    const Tree = defineTable('tree', { id: serial(), tree: foreignKey(() => Manager) }, { db: DB });
    expect(Tree.select(Tree.tree.name).toSQL().sql).toBe(
      'SELECT "tree$2"."name" AS "tree.name" FROM "tree" LEFT JOIN "manager" AS "tree$2" ON "tree"."tree" = "tree$2"."id"',
    );
  });

  it('joinOn joins any column to any column', () => {
    const Alias = defineTable('alias', { id: serial(), bandName: varchar({ length: 50 }) }, { db: DB });
    expect(Alias.select(Alias.bandName.joinOn(Band.name)['popularity']!).toSQL().sql).toBe(
      'SELECT "bandName"."popularity" AS "bandName.popularity" FROM "alias" LEFT JOIN "band" AS "bandName" ON "alias"."bandName" = "bandName"."name"',
    );
  });
});

describe('aggregates, grouping, distinct', () => {
  it('group by with having, aliases and order by an aggregate', () => {
    expect(Band.select(Band.manager.name, count().as('bands'), avg(Band.popularity)).groupBy(Band.manager.name).having(count().gt(1)).orderBy(count(), 'desc').toSQL()).toMatchObject({
      sql:
        `SELECT "manager"."name" AS "manager.name", COUNT(*) AS "bands", AVG("band"."popularity") AS "avg" FROM "band" ${JOIN_MANAGER}` +
        ' GROUP BY "manager"."name" HAVING COUNT(*) > ? ORDER BY COUNT(*) DESC',
      params: [1],
    });
  });

  it('distinct rows, count(distinct x), counts of distinct combinations', () => {
    expect(Band.select(Band.name).distinct().toSQL().sql).toBe('SELECT DISTINCT "name" FROM "band"');
    expect(Band.select(count(Band.name, { distinct: true }).as('names')).toSQL().sql).toBe('SELECT COUNT(DISTINCT "name") AS "names" FROM "band"');
    expect(Band.count({ distinct: [Band.name, Band.popularity] }).where(Band.active.eq(true)).toSQL().sql).toBe(
      'SELECT COUNT(*) AS "count" FROM (SELECT DISTINCT "name", "popularity" FROM "band" WHERE "active" = ?)',
    );
  });

  it('aggregates decode like their column (max of a timestamp is a Date)', () => {
    const query = Everything.select(max(Everything.at), sum(Everything.big));
    expect(query.toSQL()).toMatchObject({ sql: 'SELECT MAX("at") AS "max", SUM("big") AS "sum" FROM "everything"', safeIntegers: true });
  });
});

describe('expressions, functions, operators', () => {
  it('arithmetic in update: a whole number is an INTEGER parameter on integer columns', () => {
    expect(Band.update({ popularity: Band.popularity.plus(10) }).where(Band.id.eq(1)).toSQL()).toMatchObject({
      sql: 'UPDATE "band" SET "popularity" = ("popularity" + ?) WHERE "id" = ?',
      params: [10n, 1],
    });
  });

  it('functions: lower, coalesce, round, now, random', () => {
    expect(Band.select(lower(Band.name), coalesce(Band.manager.name, 'none').as('m'), round(avg(Band.popularity), 2).as('r')).orderBy(random()).toSQL()).toMatchObject({
      sql: `SELECT LOWER("band"."name") AS "lower", COALESCE("manager"."name", ?) AS "m", ROUND(AVG("band"."popularity"), ?) AS "r" FROM "band" ${JOIN_MANAGER} ORDER BY RANDOM() ASC`,
      params: ['none', 2],
    });
    expect(Everything.select(Everything.id).where(Everything.at.lt(now())).toSQL().sql).toBe(`SELECT "id" FROM "everything" WHERE strftime('%Y-%m-%dT%H:%M:%fZ', "at") < strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`);
  });

  it('ilike, notLike, between, in and notIn with subqueries, exists', () => {
    expect(Band.select(Band.id).where(Band.name.ilike('p%')).toSQL().sql).toBe('SELECT "id" FROM "band" WHERE "name" LIKE ?');
    expect(Band.select(Band.id).where(Band.name.notLike('p%')).toSQL().sql).toBe('SELECT "id" FROM "band" WHERE "name" NOT LIKE ?');
    expect(Band.select(Band.id).where(Band.popularity.between(1, 5)).toSQL()).toMatchObject({ sql: 'SELECT "id" FROM "band" WHERE "popularity" BETWEEN ? AND ?', params: [1, 5] });
    expect(Band.select(Band.id).where(Band.manager.notIn(Manager.select(Manager.id).where(Manager.name.like('G%')))).toSQL()).toMatchObject({
      sql: 'SELECT "id" FROM "band" WHERE "manager" NOT IN (SELECT "id" FROM "manager" WHERE "name" LIKE ?)',
      params: ['G%'],
    });
    expect(Manager.select(Manager.name).where(notExists(Band.select(Band.id).where(Band.popularity.gt(5)))).toSQL().sql).toBe(
      'SELECT "name" FROM "manager" WHERE NOT EXISTS (SELECT "id" FROM "band" WHERE "popularity" > ?)',
    );
  });

  it('the sql template: values are parameters, columns quoted identifiers, text only from the template', () => {
    const name = `x'); DROP TABLE band; --`;
    expect(Band.select(Band.id).where(sql`instr(${Band.name}, ${name}) > ${0}`).toSQL()).toMatchObject({
      sql: 'SELECT "id" FROM "band" WHERE (instr("name", ?) > ?)',
      params: [name, 0],
    });
    expect(Band.select(sql<number>`1 + ${2}`.as('three')).toSQL().sql).toBe('SELECT 1 + ? AS "three" FROM "band"');
  });

  it('shapes with different values share one SQL string; different templates do not', () => {
    const at = (value: string) => Band.select(Band.id).where(Band.manager.name.eq(value)).toSQL();
    expect(at('a').sql).toBe(at('b').sql);
    expect(at('a').params).toEqual(['a']);
    expect(at('b').params).toEqual(['b']);
  });
});

describe('cast, nullIf, date parts, caseWhen', () => {
  it('compile with values as parameters and keys from the expression (cast, nullIf) or the function (date parts)', () => {
    expect(Band.select(cast(Band.popularity, 'text'), cast(Band.manager.name, 'bigint'), nullIf(Band.name, '')).toSQL()).toMatchObject({
      sql: `SELECT CAST("band"."popularity" AS TEXT) AS "popularity", CAST("manager"."name" AS INTEGER) AS "manager.name", NULLIF("band"."name", ?) AS "name" FROM "band" ${JOIN_MANAGER}`,
      params: [''],
      safeIntegers: true,
    });
    expect(Everything.select(year(Everything.at), second(Everything.at).as('s')).where(month(Everything.at).eq(6)).toSQL()).toMatchObject({
      sql: `SELECT CAST(strftime('%Y', "at") AS INTEGER) AS "year", CAST(strftime('%S', "at") AS INTEGER) AS "s" FROM "everything" WHERE CAST(strftime('%m', "at") AS INTEGER) = ?`,
      params: [6],
    });
  });

  it('caseWhen: CASE WHEN ... END, conditions and values as parameters, joins found inside it', () => {
    const label = caseWhen(Band.manager.name.eq('Guido'), 'guido').when(Band.popularity.gt(10), 'popular').else('other');
    expect(Band.select(label.as('label')).toSQL()).toMatchObject({
      sql: `SELECT CASE WHEN "manager"."name" = ? THEN ? WHEN "band"."popularity" > ? THEN ? ELSE ? END AS "label" FROM "band" ${JOIN_MANAGER}`,
      params: ['Guido', 'guido', 10, 'popular', 'other'],
    });
    expect(Band.update({ name: caseWhen(Band.popularity.gt(10), Band.name.concat('!')).else(Band.name) }, { force: true }).toSQL()).toMatchObject({
      sql: `UPDATE "band" SET "name" = CASE WHEN "popularity" > ? THEN ("name" || ?) ELSE "name" END`,
      params: [10, '!'],
    });
    // An update cannot join.
    expectMentions(catchPiccoError(() => Band.update({ name: caseWhen(Band.manager.name.eq('x'), 'y').else(Band.name) }, { force: true }), PiccoErrorCode.INVALID_QUERY).message, ['joined column "manager.name"']);
  });

  it('group and order by a selected expression with parameters by its position (PostgreSQL cannot match it written again)', () => {
    const tier = () => caseWhen(Band.popularity.gt(10), 'popular').else('new');
    expect(Band.select(tier().as('tier'), count()).groupBy(tier()).orderBy(tier(), 'desc').toSQL()).toMatchObject({
      sql: 'SELECT CASE WHEN "popularity" > ? THEN ? ELSE ? END AS "tier", COUNT(*) AS "count" FROM "band" GROUP BY 1 ORDER BY 1 DESC',
      params: [10, 'popular', 'new'],
    });
    // Other values are another expression: written out, with their own parameters.
    expect(Band.select(tier().as('tier')).orderBy(caseWhen(Band.popularity.gt(20), 'popular').else('new')).toSQL().params).toEqual([10, 'popular', 'new', 20, 'popular', 'new']);
    // Without parameters nothing changes.
    expect(Band.select(lower(Band.name)).groupBy(lower(Band.name)).toSQL().sql).toBe('SELECT LOWER("name") AS "lower" FROM "band" GROUP BY LOWER("name")');
  });

  it('share one statement text per shape: the same string for other values', () => {
    const shape = (popular: number, name: string) => Band.select(caseWhen(Band.popularity.gt(popular), 'popular').else(name).as('tier'), cast(Band.name, 'integer')).toSQL();
    const first = shape(1, 'a');
    const second = shape(2, 'b');
    expect(second.sql).toBe(first.sql);
    expect(second.params).toEqual([2, 'popular', 'b']);
  });

  it('refuse bad input with INVALID_QUERY', () => {
    const refused = (action: () => unknown, words: string[]) => expectMentions(catchPiccoError(action, PiccoErrorCode.INVALID_QUERY).message, words);
    refused(() => cast(Band.popularity, 'varchar' as never), ["'text', 'integer', 'bigint' or 'real'", '"varchar"']);
    refused(() => cast('x' as never, 'text'), ['cast() takes a column or expression']);
    const Ticket = defineTable('ticket', { id: serial(), price: numeric({ digits: [5, 2] }) }, { db: DB });
    refused(() => cast(Ticket.price as never, 'text'), ['numeric "price"', 'stored integer']);
    refused(() => year(Band.name as never), ['year() takes a timestamp or date', '"name" is varchar']);
    refused(() => nullIf(Band.name, undefined as never), ['nullIf()', 'got undefined']);
    refused(() => nullIf(Band.name, param('n') as never), ["nullIf() got param('n')", 'plain value']);
    refused(() => caseWhen(Band.id.eq(1), true).when(Band.id.eq(2), 2 as never), ['a boolean and a number', 'cast()']);
    // Text and numbers read back alike: allowed, each value as it is.
    expect(Band.select(caseWhen(Band.id.eq(1), 'a').else(2).as('x')).toSQL().params).toEqual([1, 'a', 2]);
  });
});

describe('upserts', () => {
  it('doUpdate with excluded, a where, and several clauses in order', () => {
    const query = Band.insert({ name: 'a', popularity: 1 })
      .onConflict({ target: Band.id, action: 'doNothing' })
      .onConflict({ target: Band.name, action: 'doUpdate', set: { popularity: Band.popularity.plus(excluded(Band.popularity)) }, where: Band.active.eq(true) });
    expect(query.toSQL()).toMatchObject({
      sql: 'INSERT INTO "band" ("name", "popularity") VALUES (?, ?) ON CONFLICT ("id") DO NOTHING ON CONFLICT ("name") DO UPDATE SET "popularity" = ("popularity" + excluded."popularity") WHERE "active" = ?',
      params: ['a', 1, 1],
    });
  });
});

describe('misuse is refused', () => {
  it.each([
    { name: 'aggregate in where', action: () => Band.select().where(count().gt(1)), words: ['having()'] },
    { name: 'joined column of another table', action: () => Manager.select(Band.manager.name as never), words: ['of another table'] },
    { name: 'expression without a key', action: () => Band.select(Band.popularity.plus(1) as never), words: ['.as('] },
    { name: 'duplicate result keys', action: () => Band.select(Band.name, Manager.name.as('name') as never), words: [] },
    { name: 'two values under one key', action: () => Band.select(Band.name, lower(Band.name).as('name')), words: ['two values', '"name"'] },
    { name: 'excluded outside an upsert', action: () => Band.update({ popularity: excluded(Band.popularity) }, { force: true }), words: ['excluded'] },
    { name: 'joined column in update set', action: () => Band.update({ name: Band.manager.name as never }, { force: true }), words: ['cannot join'] },
    { name: 'in() with a number', action: () => Band.id.in(5 as never), words: ['array'] },
    { name: 'in() with a subquery of two columns', action: () => Band.manager.in(Manager.select(Manager.id, Manager.name)), words: ['exactly one column'] },
    { name: 'exists() of a non-query', action: () => exists({} as never), words: ['select query'] },
    { name: 'sql called as a function', action: () => sql('1' as never), words: ['tagged template'] },
    { name: 'sql with an object value', action: () => sql`${{}}`, words: ['not an SQL value'] },
    { name: 'doUpdate without target', action: () => Band.insert({ name: 'a' }).onConflict({ action: 'doUpdate', set: [Band.popularity] }), words: ['needs a target'] },
    { name: 'doUpdate without set', action: () => Band.insert({ name: 'a' }).onConflict({ target: Band.name, action: 'doUpdate' }), words: ['set'] },
    { name: 'unknown upsert action', action: () => Band.insert({ name: 'a' }).onConflict({ action: 'merge' as never }), words: ["'doNothing' or 'doUpdate'"] },
    { name: 'a targetless clause before another', action: () => Band.insert({ name: 'a' }).onConflict({ action: 'doNothing' }).onConflict({ action: 'doNothing' }), words: ['last one'] },
    { name: 'groupBy with nothing', action: () => Band.select().groupBy(), words: ['at least one'] },
    { name: 'nested output with a clashing key', action: () => Band.select(Band.manager, Band.manager.name).output({ nested: true }), words: ['both a value'] },
    { name: 'a non-foreign key used as one', action: () => Band.name.$, words: ['not a foreign key'] },
    { name: 'round with a bad digits', action: () => round(Band.popularity, -1), words: ['decimal places'] },
  ])('$name', ({ action, words }) => {
    expectMentions(catchPiccoError(action, PiccoErrorCode.INVALID_QUERY).message, words);
  });
});

describe('alter()', () => {
  it('compiles one change per statement, identifiers quoted', () => {
    expect(alter(Band).addColumn('rating', integer({ default: 0 })).toSQL().sql).toBe('ALTER TABLE "band" ADD COLUMN "rating" INTEGER NOT NULL DEFAULT 0');
    expect(alter(Band).addColumn('boss', foreignKey(() => Manager).nullable()).toSQL().sql).toBe('ALTER TABLE "band" ADD COLUMN "boss" INTEGER REFERENCES "manager" ("id")');
    expect(alter(Band).dropColumn(Band.popularity).toSQL().sql).toBe('ALTER TABLE "band" DROP COLUMN "popularity"');
    expect(alter(Band).renameTable('we"ird').toSQL().sql).toBe('ALTER TABLE "band" RENAME TO "we""ird"');
  });

  it.each([
    { name: 'a column name already taken', action: () => alter(Band).addColumn('name', integer()), words: ['already has a column "name"'] },
    { name: 'a column of another table', action: () => alter(Band).dropColumn(Manager.name as never), words: ['another table'] },
    { name: 'an unknown column name', action: () => alter(Band).renameColumn('nope' as never, 'x'), words: ['unknown column "nope"'] },
    { name: 'not a table', action: () => alter({} as never), words: ['defineTable'] },
  ])('refuses $name', ({ action, words }) => {
    expectMentions(catchPiccoError(action, PiccoErrorCode.INVALID_QUERY).message, words);
  });
});

describe('QUERY_CHAIN_METHODS', () => {
  it('lists exactly the query methods that return another query', () => {
    const internal = new Set(['constructor', 'node', 'toSQL', 'decode', 'decoder', 'validate', 'run', 'runSync', 'then', 'derive', 'orderExpression', 'returningNodes', 'statements', 'batch', 'batchSync', 'pages', 'listed']);
    const methods = new Set<string>();
    for (const query of [SelectQuery, FirstQuery, CountQuery, ExistsQuery, JsonQuery, InsertQuery, UpdateQuery, DeleteQuery]) {
      for (const name of Object.getOwnPropertyNames(query.prototype)) if (!internal.has(name)) methods.add(name);
    }
    expect([...methods].sort()).toEqual([...QUERY_CHAIN_METHODS].sort());
  });
});
