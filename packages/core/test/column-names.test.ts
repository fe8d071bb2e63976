/**
 * Every name that is not reserved works as a column (issue 8, item 15): no table internal may
 * stand in the way of a user's column name, and rows are read by their own properties only.
 */
import { describe, expect, it } from 'vitest';
import { RESERVED_COLUMN_NAMES, defineTable, serial, text } from '@picco/core';
import { RecordingEngine } from './helpers.js';

const engine = new RecordingEngine();

/** Names of table internals that once broke every query when used as a column name. */
const FORMER_INTERNALS = ['selectNode', 'insertShapes', 'knownColumn', 'insertColumns', 'unionOfKeys', 'rememberInsertShape', 'lastInsert', 'info', 'name', 'columns'];

/** Every property a table object has besides its columns and `$` metadata, as of today. */
function tableInternals(): string[] {
  const names = new Set<string>();
  for (let object: object | null = defineTable('probe', { id: serial() }); object !== null; object = Object.getPrototypeOf(object) as object | null) {
    for (const name of Object.getOwnPropertyNames(object)) names.add(name);
  }
  return [...names];
}

const candidates = [...new Set([...FORMER_INTERNALS, ...tableInternals(), ...Object.getOwnPropertyNames(Object.prototype)])].filter(
  (name) => !RESERVED_COLUMN_NAMES.has(name) && !name.startsWith('$') && name !== 'id',
);

describe('a column named like a table internal or an Object.prototype member', () => {
  it('covers the names the issue lists and the inherited Object members', () => {
    for (const name of ['selectNode', 'insertShapes', 'knownColumn', 'insertColumns', 'unionOfKeys', 'rememberInsertShape', 'hasOwnProperty', 'isPrototypeOf']) {
      expect(candidates).toContain(name);
    }
  });

  it.each(candidates)('%s works in every query', async (name) => {
    const table = defineTable('t', { id: serial(), [name]: text().nullable() }, { db: engine }) as never as Record<string, any>;
    const column = table[name];
    const quoted = `"${name}"`;
    expect(column.key).toBe(name);

    expect(table.createTable().toSQL().sql).toBe(`CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, ${quoted} TEXT)`);
    expect(table.select().where(column.eq('x')).toSQL()).toMatchObject({ sql: `SELECT "id", ${quoted} FROM "t" WHERE ${quoted} = ?`, params: ['x'] });
    expect(table.select(column).toSQL().sql).toBe(`SELECT ${quoted} FROM "t"`);
    expect(table.insert({ [name]: 'a' }).toSQL()).toMatchObject({ sql: `INSERT INTO "t" (${quoted}) VALUES (?)`, params: ['a'] });
    // Twice: the second insert of a shape takes the cached path.
    expect(table.insert({ [name]: 'b' }).toSQL()).toMatchObject({ sql: `INSERT INTO "t" (${quoted}) VALUES (?)`, params: ['b'] });
    // Several rows, one without the column: it gets NULL, never an inherited member.
    expect(table.insert([{ id: 1, [name]: 'a' }, { id: 2 }]).toSQL()).toMatchObject({
      sql: `INSERT INTO "t" ("id", ${quoted}) VALUES (?, ?), (?, ?)`,
      params: [1, 'a', 2, null],
    });
    expect(table.update({ [name]: 'c' }).where(table['id'].eq(1)).toSQL()).toMatchObject({ sql: `UPDATE "t" SET ${quoted} = ? WHERE "id" = ?`, params: ['c', 1] });
    expect(table.delete().where(column.isNull()).toSQL().sql).toBe(`DELETE FROM "t" WHERE ${quoted} IS NULL`);
    expect(table.count().where(column.ne('x')).toSQL().sql).toBe(`SELECT COUNT(*) AS "count" FROM "t" WHERE ${quoted} <> ?`);
    expect(table.exists().toSQL().sql).toBe(`SELECT EXISTS(SELECT 1 FROM "t") AS "exists"`);
    expect(table.insert({ [name]: 'a' }).returning(column).toSQL().sql).toBe(`INSERT INTO "t" (${quoted}) VALUES (?) RETURNING ${quoted}`);

    engine.result = { rows: [{ id: 1, [name]: 'v' }], changes: 0, lastInsertRowid: 0 };
    expect(await table.select()).toEqual([{ id: 1, [name]: 'v' }]);
  });
});

describe('rows are read by their own properties', () => {
  const Doc = defineTable('doc', { id: serial(), hasOwnProperty: text().nullable(), isPrototypeOf: text({ default: 'd' }) }, { db: engine });

  // `as never`: TypeScript sees every object's inherited `hasOwnProperty` method, so a row
  // literal without that column does not type-check; plain JavaScript passes such rows.
  it('a multi-row insert where only some rows have a column named like an Object member', () => {
    expect(Doc.insert([{ hasOwnProperty: 'a', isPrototypeOf: 'p' }, { id: 7 } as never]).toSQL()).toMatchObject({
      sql: 'INSERT INTO "doc" ("hasOwnProperty", "isPrototypeOf", "id") VALUES (?, ?, ?), (?, ?, ?)',
      params: ['a', 'p', null, null, 'd', 7],
    });
  });

  it('a row whose prototype carries a value does not lend it to the column', () => {
    const inherited = Object.create({ hasOwnProperty: 'from the prototype' }) as Record<string, unknown>;
    inherited['id'] = 3;
    expect(Doc.insert([{ hasOwnProperty: 'own' } as never, inherited as never]).toSQL().params).toEqual(['own', null, null, 3]);
  });
});
