/**
 * `alter()` beyond what SQLite's ALTER TABLE does in place: the twelve-step table rebuild, on
 * every engine kind. Rows survive, constraints hold afterwards, indexes, triggers and views come
 * back, foreign keys are checked before COMMIT, and a failing rebuild leaves the table exactly
 * as it was with a clear PiccoError.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alter, createTables, defineTable, foreignKey, integer, isPiccoError, PiccoErrorCode, serial, text, timestamp, varchar, type PiccoError } from '@picco/core';
import type { SQLiteEngine } from '@picco/runtime';
import { ENGINE_CONFIGS } from './engine-configs.js';

function tables(db: SQLiteEngine) {
  const Manager = defineTable('manager', { id: serial(), name: text() }, { db });
  const Band = defineTable(
    'band',
    {
      id: serial(),
      name: varchar({ length: 50 }),
      popularity: integer({ default: 0 }).index(),
      manager: foreignKey(() => Manager, { onDelete: 'cascade' }).nullable(),
    },
    { db },
  );
  return { Manager, Band };
}

/** Everything the catalog says about a table: its CREATE, columns, indexes and foreign keys. */
async function catalog(db: SQLiteEngine, table: string) {
  return {
    columns: await db.raw(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_xinfo(?)`, [table]),
    indexes: await db.raw(`SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name`, [table]),
    foreignKeys: await db.raw(`SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(?)`, [table]),
    objects: await db.raw(`SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = ? ORDER BY type, name`, [table]),
  };
}

async function rejection(promise: PromiseLike<unknown>): Promise<PiccoError> {
  try {
    await promise;
  } catch (error) {
    if (isPiccoError(error)) return error;
    throw error;
  }
  throw new Error('expected the promise to reject');
}

describe.each(ENGINE_CONFIGS)('$name', (config) => {
  let db: SQLiteEngine;
  let cleanup: () => Promise<void>;
  let Manager: ReturnType<typeof tables>['Manager'];
  let Band: ReturnType<typeof tables>['Band'];

  beforeEach(async () => {
    ({ engine: db, cleanup } = config.create());
    ({ Manager, Band } = tables(db));
    await createTables([Manager, Band]);
    await Manager.insert([{ name: 'Guido' }, { name: 'Graydon' }]);
    await Band.insert([
      { name: 'Pythonistas', popularity: 1000, manager: 1 },
      { name: 'Rustaceans', popularity: 500, manager: 2 },
      { name: 'C-Sharps', popularity: 10 },
    ]);
  });
  afterEach(async () => cleanup());

  it('adds a UNIQUE column by rebuilding: rows survive, and the new constraint holds', async () => {
    const query = alter(Band).addColumn('code', text().unique().nullable());
    expect(query.rebuilds).toBe(true);
    await query;
    const Changed = defineTable('band', { ...Band.$columns, code: text().unique().nullable() }, { db });
    expect(await Changed.select(Changed.name, Changed.code).orderBy(Changed.id)).toEqual([
      { name: 'Pythonistas', code: null },
      { name: 'Rustaceans', code: null },
      { name: 'C-Sharps', code: null },
    ]);
    await Changed.update({ code: 'PY' }).where(Changed.id.eq(1));
    const duplicate = await rejection(Changed.update({ code: 'PY' }).where(Changed.id.eq(2)));
    expect(duplicate.sqliteCode).toBe('SQLITE_CONSTRAINT_UNIQUE');
    // The definition's index and the foreign key came back; no temporary table is left.
    const after = await catalog(db, 'band');
    expect(after.indexes).toContainEqual(expect.objectContaining({ name: 'band_popularity_idx', origin: 'c' }));
    expect(after.indexes).toContainEqual(expect.objectContaining({ unique: 1, origin: 'u' }));
    expect(after.foreignKeys).toEqual([{ table: 'manager', from: 'manager', to: 'id', on_delete: 'CASCADE' }]);
    expect(await db.raw(`SELECT name FROM sqlite_schema WHERE name LIKE 'picco_rebuild%'`)).toEqual([]);
  });

  it('adds a NOT NULL column without a default, filling existing rows', async () => {
    await alter(Band).addColumn('genre', text(), { fill: 'rock' });
    expect(await db.raw(`SELECT name, genre FROM band ORDER BY id`)).toEqual([
      { name: 'Pythonistas', genre: 'rock' },
      { name: 'Rustaceans', genre: 'rock' },
      { name: 'C-Sharps', genre: 'rock' },
    ]);
    const refused = await rejection(db.raw(`INSERT INTO band (name) VALUES ('x')`));
    expect(refused.sqliteCode).toBe('SQLITE_CONSTRAINT_NOTNULL');
  });

  it('a NOT NULL column without default or fill fails on existing rows and leaves the table as it was', async () => {
    const before = await catalog(db, 'band');
    const error = await rejection(alter(Band).addColumn('genre', text()));
    expect(error.code).toBe(PiccoErrorCode.QUERY_FAILED);
    expect(error.message).toMatch(/Rebuilding table "band" failed and was rolled back, nothing was changed: NOT NULL constraint failed/);
    expect(error.sqliteCode).toBe('SQLITE_CONSTRAINT_NOTNULL');
    expect(error.sql).toMatch(/^INSERT INTO "picco_rebuild_band"/);
    expect(await catalog(db, 'band')).toEqual(before);
    expect(await Band.count()).toBe(3);
  });

  it('making a column UNIQUE over duplicate values fails and leaves the table exactly as before', async () => {
    await Band.update({ name: 'Pythonistas' }).where(Band.id.eq(2));
    const before = await catalog(db, 'band');
    const rows = await Band.select().orderBy(Band.id);
    const error = await rejection(alter(Band).alterColumn(Band.name, varchar({ length: 50 }).unique()));
    expect(error.code).toBe(PiccoErrorCode.QUERY_FAILED);
    expect(error.sqliteCode).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(error.message).toMatch(/Rebuilding table "band" failed and was rolled back, nothing was changed: UNIQUE constraint failed/);
    expect(await catalog(db, 'band')).toEqual(before);
    expect(await Band.select().orderBy(Band.id)).toEqual(rows);
    // Foreign keys are back on after the failure: a dangling reference is refused.
    expect((await rejection(Band.insert({ name: 'Ghosts', manager: 99 }))).sqliteCode).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
  });

  it('changes type, nullability and default, keeping the values', async () => {
    await alter(Band).alterColumn(Band.popularity, text({ default: 'none' }).nullable());
    const Changed = defineTable('band', { ...Band.$columns, popularity: text({ default: 'none' }).nullable() }, { db });
    expect(await Changed.select(Changed.popularity).orderBy(Changed.id)).toEqual([{ popularity: '1000' }, { popularity: '500' }, { popularity: '10' }]);
    await Changed.insert({ name: 'Defaults' });
    await Changed.insert({ name: 'Nulls', popularity: null });
    expect(await Changed.select(Changed.popularity).where(Changed.id.gt(3)).orderBy(Changed.id)).toEqual([{ popularity: 'none' }, { popularity: null }]);
    const columns = await db.raw(`SELECT name, type, "notnull", dflt_value FROM pragma_table_info('band') WHERE name = 'popularity'`);
    expect(columns).toEqual([{ name: 'popularity', type: 'TEXT', notnull: 0, dflt_value: `'none'` }]);
  });

  it('makes a nullable column NOT NULL with a fill for its NULLs', async () => {
    await alter(Band).alterColumn(Band.manager, foreignKey(() => Manager, { onDelete: 'cascade' }), { fill: 1 });
    expect(await db.raw(`SELECT manager FROM band ORDER BY id`)).toEqual([{ manager: 1 }, { manager: 2 }, { manager: 1 }]);
  });

  it('drops a key, unique, indexed or foreign-key column by rebuilding', async () => {
    const query = alter(Band).dropColumn(Band.popularity);
    expect(query.rebuilds).toBe(true);
    await query;
    await alter(defineTable('band', { id: serial(), name: varchar({ length: 50 }), manager: foreignKey(() => Manager).nullable() }, { db })).dropColumn('manager');
    expect(await db.raw(`SELECT * FROM band ORDER BY id`)).toEqual([
      { id: 1, name: 'Pythonistas' },
      { id: 2, name: 'Rustaceans' },
      { id: 3, name: 'C-Sharps' },
    ]);
    // The dropped column's index went with it.
    expect(await db.raw(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'band'`)).toEqual([]);
  });

  it('an index alone is made and dropped in place', async () => {
    const add = alter(Band).alterColumn(Band.name, varchar({ length: 50 }).index());
    expect(add.rebuilds).toBe(false);
    expect(add.toSQL().sql).toBe('CREATE INDEX "band_name_idx" ON "band" ("name")');
    await add;
    const drop = alter(Band).alterColumn(Band.popularity, integer({ default: 0 }));
    expect(drop.toSQL().sql).toBe('DROP INDEX "band_popularity_idx"');
    await drop;
    expect(await db.raw(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'band'`)).toEqual([{ name: 'band_name_idx' }]);
  });

  it('keeps the rows of tables that reference the rebuilt one (no ON DELETE CASCADE runs)', async () => {
    const Ticket = defineTable('ticket', { id: serial(), band: foreignKey(() => Band, { onDelete: 'cascade' }) }, { db });
    await Ticket.createTable();
    await Ticket.insert([{ band: 1 }, { band: 2 }, { band: 2 }]);
    await alter(Band).alterColumn(Band.name, text());
    expect(await Ticket.count()).toBe(3);
    expect(await db.raw(`SELECT "table", "to", on_delete FROM pragma_foreign_key_list('ticket')`)).toEqual([{ table: 'band', to: 'id', on_delete: 'CASCADE' }]);
    // The reference still works both ways: cascade on delete, refusal of a missing band.
    await Band.delete().where(Band.id.eq(2));
    expect(await Ticket.count()).toBe(1);
    expect((await rejection(Ticket.insert({ band: 42 }))).sqliteCode).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
  });

  it('a rebuild that would break a foreign key is rolled back (PRAGMA foreign_key_check)', async () => {
    const before = await catalog(db, 'manager');
    const Loose = defineTable('band_loose', { id: serial(), manager: integer().nullable() }, { db });
    await Loose.createTable();
    // A foreign key added to rows that reference nothing: the check refuses it.
    await Loose.insert([{ manager: 2 }, { manager: 7 }]);
    const error = await rejection(alter(Loose).alterColumn(Loose.manager, foreignKey(() => Manager).nullable()));
    expect(error.code).toBe(PiccoErrorCode.QUERY_FAILED);
    expect(error.sqliteCode).toBe('SQLITE_CONSTRAINT_FOREIGNKEY');
    expect(error.message).toMatch(/rolled back, nothing was changed: it would break foreign keys \(PRAGMA foreign_key_check\): a row of "band_loose" \(rowid 2\) references a missing row of "manager"/);
    expect(await db.raw(`SELECT * FROM pragma_foreign_key_list('band_loose')`)).toEqual([]);
    expect(await catalog(db, 'manager')).toEqual(before);
  });

  it('restores the table\'s own indexes and triggers, and views over it still work', async () => {
    await db.raw(`CREATE INDEX band_name_lower ON band (lower(name))`);
    await db.raw(`CREATE TABLE log (message TEXT)`);
    await db.raw(`CREATE TRIGGER band_insert AFTER INSERT ON band BEGIN INSERT INTO log VALUES ('new ' || NEW.name); END`);
    await db.raw(`CREATE VIEW popular AS SELECT name FROM band WHERE popularity > 100`);
    await alter(Band).addColumn('code', text().unique().nullable());
    const objects = await db.raw(`SELECT type, name FROM sqlite_schema WHERE tbl_name IN ('band', 'popular') AND sql IS NOT NULL ORDER BY type, name`);
    expect(objects).toEqual([
      { type: 'index', name: 'band_name_lower' },
      { type: 'index', name: 'band_popularity_idx' },
      { type: 'table', name: 'band' },
      { type: 'trigger', name: 'band_insert' },
      { type: 'view', name: 'popular' },
    ]);
    await Band.insert({ name: 'Triggered' });
    expect(await db.raw(`SELECT message FROM log`)).toEqual([{ message: 'new Triggered' }]);
    expect(await db.raw(`SELECT name FROM popular ORDER BY name`)).toEqual([{ name: 'Pythonistas' }, { name: 'Rustaceans' }]);
  });

  it('refuses to drop a column a view reads, leaving everything as it was', async () => {
    await db.raw(`CREATE VIEW popular AS SELECT name, popularity FROM band`);
    const before = await catalog(db, 'band');
    const error = await rejection(alter(Band).dropColumn(Band.popularity));
    expect(error.message).toMatch(/the view "popular" no longer fits the new table; drop or change it first: no such column: popularity/);
    expect(await catalog(db, 'band')).toEqual(before);
  });

  it('refuses to rebuild from a definition that does not match the table (it would lose a column)', async () => {
    await alter(Band).addColumn('notes', text().nullable());
    const error = await rejection(alter(Band).alterColumn(Band.name, text()));
    expect(error.message).toMatch(
      /the table's columns in the database \(id, name, popularity, manager, notes\) are not the ones its definition says \(id, name, popularity, manager\), so rebuilding it from the definition could lose data/,
    );
    expect(await db.raw(`SELECT name FROM pragma_table_info('band')`)).toEqual([{ name: 'id' }, { name: 'name' }, { name: 'popularity' }, { name: 'manager' }, { name: 'notes' }]);
  });

  it('refuses a rebuild inside an open transaction, clearly, and the transaction goes on', async () => {
    const error = await rejection(
      db.transaction(async () => {
        await Band.insert({ name: 'Inside' });
        await alter(Band).alterColumn(Band.name, text());
      }),
    );
    expect(error.code).toBe(PiccoErrorCode.SCHEMA_CHANGE_IN_TRANSACTION);
    expect(error.message).toMatch(/Refusing to rebuild table "band" inside an open transaction/);
    expect(await Band.count()).toBe(3);
    // Caught inside, the transaction commits its other work.
    await db.transaction(async () => {
      await Band.insert({ name: 'Inside' });
      await alter(Band).alterColumn(Band.name, text()).then(
        () => undefined,
        (refused: unknown) => expect((refused as PiccoError).code).toBe(PiccoErrorCode.SCHEMA_CHANGE_IN_TRANSACTION),
      );
    });
    expect(await Band.count()).toBe(4);
    expect(() => db.transactionSync(() => alter(Band).alterColumn(Band.name, text()).runSync())).toThrow(expect.objectContaining({ code: PiccoErrorCode.SCHEMA_CHANGE_IN_TRANSACTION }));
    // In place changes are fine inside a transaction.
    await db.transaction(async () => {
      await alter(Band).addColumn('notes', text().nullable());
    });
    expect(await db.raw(`SELECT count(*) AS n FROM pragma_table_info('band') WHERE name = 'notes'`)).toEqual([{ n: 1 }]);
  });

  it('runs synchronously too, and keeps timestamps indexed on their comparison expression', () => {
    const Event = defineTable('event', { id: serial(), at: timestamp().index(), title: text() }, { db });
    Event.createTable().runSync();
    Event.insert({ at: new Date('2024-01-02T03:04:05.000Z'), title: 'a' }).runSync();
    alter(Event).alterColumn(Event.title, text().unique()).runSync();
    expect(Event.select(Event.at).runSync()).toEqual([{ at: new Date('2024-01-02T03:04:05.000Z') }]);
    expect(db.raw(`SELECT sql FROM sqlite_schema WHERE name = 'event_at_idx'`).runSync()).toEqual([
      { sql: `CREATE INDEX "event_at_idx" ON "event" (strftime('%Y-%m-%dT%H:%M:%fZ', "at"))` },
    ]);
  });
});

describe('the SQL of a rebuild', () => {
  it('follows SQLite\'s twelve steps, with foreign keys switched around the transaction', () => {
    const Manager = defineTable('manager', { id: serial(), name: text() });
    const Band = defineTable('band', { id: serial(), name: text(), popularity: integer({ default: 0 }).index(), manager: foreignKey(() => Manager).nullable() });
    const compiled = alter(Band).addColumn('code', text().unique(), { fill: 'n/a' }).toSQL();
    expect(compiled.mode).toBe('batch');
    expect(compiled.readOnly).toBe(false);
    expect(compiled.sql.split(';\n')).toEqual([
      'PRAGMA foreign_keys = OFF',
      'BEGIN IMMEDIATE',
      `CREATE TABLE "picco_rebuild_band" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL, "popularity" INTEGER NOT NULL DEFAULT 0, "manager" INTEGER REFERENCES "manager" ("id"), "code" TEXT NOT NULL UNIQUE)`,
      `INSERT INTO "picco_rebuild_band" ("id", "name", "popularity", "manager", "code") SELECT "id", "name", "popularity", "manager", 'n/a' FROM "band"`,
      'DROP TABLE "band"',
      'ALTER TABLE "picco_rebuild_band" RENAME TO "band"',
      'CREATE INDEX "band_popularity_idx" ON "band" ("popularity")',
      'PRAGMA foreign_key_check',
      'COMMIT',
      'PRAGMA foreign_keys = ON',
    ]);
    expect(compiled.batch?.steps).toEqual([
      expect.objectContaining({ kind: 'rebuild', table: 'band', expectedColumns: ['id', 'name', 'popularity', 'manager'], replacedIndexes: ['band_popularity_idx'] }),
    ]);
  });

  it('in place where SQLite can, a COALESCE for a fill, and refusals for what makes no sense', () => {
    const Band = defineTable('band', { id: serial(), name: text(), notes: text().nullable(), code: text().unique() });
    expect(alter(Band).addColumn('rating', integer({ default: 0 })).toSQL().sql).toBe('ALTER TABLE "band" ADD COLUMN "rating" INTEGER NOT NULL DEFAULT 0');
    expect(alter(Band).addColumn('rating', integer({ default: 0 }).index()).toSQL().sql).toBe(
      'BEGIN IMMEDIATE;\nALTER TABLE "band" ADD COLUMN "rating" INTEGER NOT NULL DEFAULT 0;\nCREATE INDEX "band_rating_idx" ON "band" ("rating");\nCOMMIT',
    );
    expect(alter(Band).dropColumn(Band.notes).toSQL().sql).toBe('ALTER TABLE "band" DROP COLUMN "notes"');
    expect(alter(Band).alterColumn(Band.notes, text(), { fill: '' }).toSQL().sql).toContain(`SELECT "id", "name", COALESCE("notes", ''), "code" FROM "band"`);
    expect(() => alter(Band).alterColumn(Band.name, text())).toThrow(/the new definition is the column's current one/);
    expect(() => alter(Band).addColumn('name', text().nullable())).toThrow(/already has a column "name"/);
    expect(() => alter(Band).addColumn('key', text().primaryKey())).toThrow(/already has a primary key \("id"\)/);
    expect(() => alter(Band).alterColumn(Band.name, text().columnName('title'))).toThrow(/rename it with renameColumn\(\) first/);
    expect(() => alter(defineTable('solo', { only: text() })).dropColumn('only')).toThrow(/the only column of "solo"/);
    expect(() => alter(Band).addColumn('rating', integer(), { fill: 'ten' })).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_QUERY }));
  });
});
