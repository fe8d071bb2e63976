/** Piccolo tests/table/test_insert.py, test_update.py, test_delete.py, test_count.py, test_exists.py, test_raw.py, translated (see harness.ts). */
import { expect } from 'vitest';
import { defineTable, excluded, integer, isPiccoError, now, numeric, PiccoErrorCode, serial, timestamp, varchar, type Engine } from '@picco/core';
import { parity } from './harness.js';

function expectRefused(action: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    action();
  } catch (caught) {
    error = caught;
  }
  expect(isPiccoError(error, PiccoErrorCode.INVALID_QUERY), String(error)).toBe(true);
  expect((error as Error).message).toMatch(pattern);
}

/** TestOnConflict's own Band: a unique name. */
async function conflictBand(db: Engine & { raw(sql: string): PromiseLike<unknown> }) {
  const Band = defineTable('oc_band', { id: serial(), name: varchar({ length: 50 }).unique(), popularity: integer() }, { db });
  await Band.dropTable({ ifExists: true });
  await Band.createTable();
  await Band.insert({ name: 'Pythonistas', popularity: 1000 });
  return Band;
}

parity('test_insert.py', ({ behaviour, differs }) => {
  behaviour('TestInsert::test_insert', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.insert({ name: 'Rustaceans2', popularity: 3 });
    expect((await Band.select(Band.name)).map((row) => row.name)).toContain('Rustaceans2');
  });

  behaviour('TestInsert::test_add (several rows)', async ({ Band }) => {
    await Band.insert([{ name: 'A' }, { name: 'B' }]);
    expect(await Band.count()).toBe(2);
  });

  behaviour('TestInsert::test_incompatible_type', ({ Band }) => {
    expectRefused(() => Band.insert({ name: 1 as never }), /expects a string/);
  });

  behaviour('TestInsert::test_insert_curly_braces', async ({ Band }) => {
    await Band.insert({ name: '{}' });
    expect(await Band.select(Band.name)).toEqual([{ name: '{}' }]);
  });

  behaviour('TestInsert::test_insert_returning', async ({ Band }) => {
    expect(await Band.insert({ name: 'Maz' }).returning(Band.name)).toEqual([{ name: 'Maz' }]);
  });

  behaviour('TestInsert::test_insert_returning_alias', async ({ Band }) => {
    // Piccolo aliases in returning(); Picco returns the column's own key.
    expect(await Band.insert({ name: 'Maz' }).returning(Band.id, Band.name)).toEqual([{ id: 1, name: 'Maz' }]);
  });

  behaviour('TestOnConflict::test_do_update', async ({ db, placeholders }) => {
    const Band = await conflictBand(db);
    const query = Band.insert({ name: 'Pythonistas', popularity: 2000 }).onConflict({ target: Band.name, action: 'doUpdate', set: [Band.popularity] });
    expect(query.toSQL().sql).toBe(placeholders('INSERT INTO "oc_band" ("name", "popularity") VALUES (?, ?) ON CONFLICT ("name") DO UPDATE SET "popularity" = excluded."popularity"'));
    await query;
    expect(await Band.select()).toEqual([{ id: 1, name: 'Pythonistas', popularity: 2000 }]);
  });

  behaviour('TestOnConflict::test_do_update_tuple_values', async ({ db }) => {
    const Band = await conflictBand(db);
    await Band.insert({ id: 1, name: 'Rustaceans', popularity: 2000 }).onConflict({ target: Band.id, action: 'doUpdate', set: { name: 'Rustaceans', popularity: 4000 } });
    expect(await Band.select()).toEqual([{ id: 1, name: 'Rustaceans', popularity: 4000 }]);
  });

  behaviour('TestOnConflict (set with an expression on the proposed and the existing row)', async ({ db }) => {
    const Band = await conflictBand(db);
    await Band.insert({ name: 'Pythonistas', popularity: 5 }).onConflict({ target: Band.name, action: 'doUpdate', set: { popularity: Band.popularity.plus(excluded(Band.popularity)) } });
    expect(await Band.select(Band.popularity)).toEqual([{ popularity: 1005 }]);
  });

  behaviour('TestOnConflict::test_do_update_no_target', async ({ db }) => {
    const Band = await conflictBand(db);
    expectRefused(() => Band.insert({ name: 'Pythonistas', popularity: 1 }).onConflict({ action: 'doUpdate', set: [Band.popularity] }), /needs a target/);
  });

  behaviour('TestOnConflict::test_do_update_no_values', async ({ db }) => {
    const Band = await conflictBand(db);
    expectRefused(() => Band.insert({ name: 'Pythonistas', popularity: 1 }).onConflict({ target: Band.name, action: 'doUpdate' }), /needs values in set/);
  });

  behaviour('TestOnConflict::test_violate_non_target', async ({ db, dialect }) => {
    const Band = await conflictBand(db);
    const error = await Band.insert({ name: 'Pythonistas', popularity: 1 })
      .onConflict({ target: Band.id, action: 'doUpdate', set: [Band.popularity] })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    if (dialect === 'postgres') expect(isPiccoError(error, PiccoErrorCode.QUERY_FAILED) && error.sqlState).toBe('23505'); // unique_violation
    else expect(isPiccoError(error, PiccoErrorCode.QUERY_FAILED) && error.sqliteCode).toBe('SQLITE_CONSTRAINT_UNIQUE');
  });

  behaviour('TestOnConflict::test_where', async ({ db, dialect }) => {
    const Band = await conflictBand(db);
    const query = Band.insert({ name: 'Pythonistas', popularity: 2000 }).onConflict({ target: Band.name, action: 'doUpdate', set: [Band.popularity], where: Band.popularity.lt(1000) });
    // PostgreSQL names the table's own column with its table: a bare name would be ambiguous with EXCLUDED's.
    const where = dialect === 'postgres' ? 'WHERE "oc_band"."popularity" < $3' : 'WHERE "popularity" < ?';
    expect(query.toSQL()).toMatchObject({ sql: expect.stringContaining(`DO UPDATE SET "popularity" = excluded."popularity" ${where}`), params: ['Pythonistas', 2000, 1000] });
    await query;
    // 1000 < 1000 is false: the row is left alone.
    expect(await Band.select(Band.popularity)).toEqual([{ popularity: 1000 }]);
  });

  behaviour('TestOnConflict::test_do_nothing_where', async ({ db }) => {
    const Band = await conflictBand(db);
    expectRefused(() => Band.insert({ name: 'x', popularity: 1 }).onConflict({ action: 'doNothing', where: Band.popularity.lt(1) }), /takes no set or where/);
  });

  behaviour('TestOnConflict::test_do_nothing', async ({ db }) => {
    const Band = await conflictBand(db);
    await Band.insert({ name: 'Pythonistas', popularity: 2000 }).onConflict({ action: 'doNothing' });
    expect(await Band.select()).toEqual([{ id: 1, name: 'Pythonistas', popularity: 1000 }]);
  });

  behaviour('TestOnConflict::test_multiple_do_update', async ({ db, dialect }) => {
    const Band = await conflictBand(db);
    const query = Band.insert({ name: 'Pythonistas', popularity: 2000 })
      .onConflict({ target: Band.id, action: 'doNothing' })
      .onConflict({ target: Band.name, action: 'doUpdate', set: [Band.popularity] });
    if (dialect === 'postgres') {
      await expect(query.run()).rejects.toMatchObject({ code: PiccoErrorCode.INVALID_QUERY, message: expect.stringContaining('one ON CONFLICT clause') });
      return;
    }
    await query;
    expect(await Band.select()).toEqual([{ id: 1, name: 'Pythonistas', popularity: 2000 }]);
  });

  behaviour('TestOnConflict::test_multiple_do_nothing', async ({ db, dialect }) => {
    const Band = await conflictBand(db);
    const query = Band.insert({ id: 1, name: 'Pythonistas', popularity: 2000 })
      .onConflict({ target: Band.id, action: 'doNothing' })
      .onConflict({ target: Band.name, action: 'doUpdate', set: [Band.popularity] });
    if (dialect === 'postgres') {
      await expect(query.run()).rejects.toMatchObject({ code: PiccoErrorCode.INVALID_QUERY, message: expect.stringContaining('one ON CONFLICT clause') });
      return;
    }
    await query;
    expect(await Band.select()).toEqual([{ id: 1, name: 'Pythonistas', popularity: 1000 }]);
  });

  behaviour('TestOnConflict::test_all_columns', async ({ db }) => {
    const Band = await conflictBand(db);
    await Band.insert({ id: 1, name: 'Rustaceans', popularity: 2000 }).onConflict({ target: Band.id, action: 'doUpdate', set: [Band.id, Band.name, Band.popularity] });
    expect(await Band.select()).toEqual([{ id: 1, name: 'Rustaceans', popularity: 2000 }]);
  });

  differs('TestOnConflict (ignore / replace)', "Picco keeps SQLite's INSERT OR IGNORE / OR REPLACE as onConflict('ignore' | 'replace') besides the upsert clauses", async ({ db }) => {
    const Band = await conflictBand(db);
    await Band.insert({ name: 'Pythonistas', popularity: 1 }).onConflict('ignore');
    expect(await Band.select(Band.popularity)).toEqual([{ popularity: 1000 }]);
  });
});

parity('test_update.py', ({ behaviour }) => {
  behaviour('TestUpdate::test_update', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ name: 'Pythonistas3' }).where(Band.name.eq('Pythonistas'));
    expect(await Band.select(Band.name).where(Band.name.eq('Pythonistas3'))).toEqual([{ name: 'Pythonistas3' }]);
  });

  behaviour('TestUpdate::test_update_values', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ name: 'Pythonistas3', popularity: 5 }).where(Band.name.eq('Pythonistas'));
    expect(await Band.select(Band.name, Band.popularity).where(Band.id.eq(1))).toEqual([{ name: 'Pythonistas3', popularity: 5 }]);
  });

  behaviour('TestUpdate::test_update_returning', async ({ Band, insertRows }) => {
    await insertRows();
    expect(await Band.update({ name: 'Pythonistas 2' }).where(Band.name.eq('Pythonistas')).returning(Band.name)).toEqual([{ name: 'Pythonistas 2' }]);
  });

  behaviour('TestOperators::test_operators (add)', async ({ Band, insertRows, placeholders }) => {
    await insertRows();
    const query = Band.update({ popularity: Band.popularity.plus(10) }).where(Band.name.eq('Pythonistas'));
    expect(query.toSQL()).toMatchObject({ sql: placeholders('UPDATE "band" SET "popularity" = ("popularity" + ?) WHERE "name" = ?'), params: [10n, 'Pythonistas'] });
    await query;
    expect(await Band.select(Band.popularity).where(Band.id.eq(1))).toEqual([{ popularity: 1010 }]);
  });

  behaviour('TestOperators::test_operators (subtract)', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ popularity: Band.popularity.minus(10) }).where(Band.id.eq(1));
    expect(await Band.select(Band.popularity).where(Band.id.eq(1))).toEqual([{ popularity: 990 }]);
  });

  behaviour('TestOperators::test_operators (multiply)', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ popularity: Band.popularity.times(2) }).where(Band.id.eq(1));
    expect(await Band.select(Band.popularity).where(Band.id.eq(1))).toEqual([{ popularity: 2000 }]);
  });

  behaviour('TestOperators::test_operators (divide)', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ popularity: Band.popularity.dividedBy(3) }).where(Band.id.eq(1));
    // Integer division, as SQLite does it.
    expect(await Band.select(Band.popularity).where(Band.id.eq(1))).toEqual([{ popularity: 333 }]);
  });

  behaviour('TestOperators::test_operators (column on both sides)', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ popularity: Band.popularity.plus(Band.popularity) }).where(Band.id.eq(1));
    expect(await Band.select(Band.popularity).where(Band.id.eq(1))).toEqual([{ popularity: 2000 }]);
  });

  behaviour('TestOperators::test_operators (string concatenation)', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ name: Band.name.concat('!!!') }).where(Band.id.eq(1));
    expect(await Band.select(Band.name).where(Band.id.eq(1))).toEqual([{ name: 'Pythonistas!!!' }]);
  });

  behaviour('TestOperators::test_edge_cases', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ popularity: Band.popularity.plus(0) }).where(Band.id.eq(1));
    expect(await Band.select(Band.popularity).where(Band.id.eq(1))).toEqual([{ popularity: 1000 }]);
    expectRefused(() => Band.update({ popularity: Band.popularity.plus(undefined as never) }), /undefined/);
  });

  behaviour('TestAutoUpdate::test_update', async ({ db, dialect, placeholders }) => {
    // Piccolo's AutoUpdateTable: modified_on = Timestamp(auto_update=datetime.datetime.now, null=True, default=None).
    const AutoUpdate = defineTable('auto_update_table', { id: serial(), name: varchar({ length: 50 }), modifiedOn: timestamp().nullable().autoUpdate(now()) }, { db });
    await AutoUpdate.dropTable({ ifExists: true });
    await AutoUpdate.createTable();
    try {
      await AutoUpdate.insert({ name: 'test' });
      // An insert is not an update: the column keeps its default.
      expect(await AutoUpdate.select(AutoUpdate.name, AutoUpdate.modifiedOn).first()).toEqual({ name: 'test', modifiedOn: null });
      const before = Date.now();
      const query = AutoUpdate.update({ name: 'test 2' }, { force: true });
      // now() is the dialect's: SQLite's canonical UTC text, PostgreSQL's statement time.
      const now = dialect === 'postgres' ? 'statement_timestamp()' : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
      expect(query.toSQL().sql).toBe(placeholders(`UPDATE "auto_update_table" SET "name" = ?, "modifiedOn" = ${now}`));
      await query;
      const updated = await AutoUpdate.select(AutoUpdate.name, AutoUpdate.modifiedOn).first();
      expect(updated?.name).toBe('test 2');
      expect(updated?.modifiedOn).toBeInstanceOf(Date);
      expect(updated!.modifiedOn!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      // An update that sets the column itself wins over autoUpdate.
      const fixed = new Date('2020-01-01T00:00:00.000Z');
      await AutoUpdate.update({ modifiedOn: fixed }, { force: true });
      expect(await AutoUpdate.select(AutoUpdate.modifiedOn).first()).toEqual({ modifiedOn: fixed });
    } finally {
      await AutoUpdate.dropTable();
    }
  });

  behaviour('TestAutoUpdate::test_update (a function, called for every update, and upserts)', async ({ db }) => {
    let calls = 0;
    const Counted = defineTable(
      'auto_update_counted',
      { id: serial(), name: varchar({ length: 50 }).unique(), version: integer({ default: 0 }).autoUpdate(() => ++calls), fee: numeric({ digits: [6, 2] }).nullable().autoUpdate('12.50') },
      { db },
    );
    await Counted.dropTable({ ifExists: true });
    await Counted.createTable();
    try {
      await Counted.insert({ name: 'a' });
      expect(calls).toBe(0);
      await Counted.update({ name: 'b' }).where(Counted.id.eq(1));
      await Counted.update({ name: 'c' }).where(Counted.id.eq(1));
      expect(await Counted.select(Counted.name, Counted.version, Counted.fee).first()).toEqual({ name: 'c', version: 2, fee: '12.50' });
      // DO UPDATE is an update too.
      await Counted.insert({ name: 'c' }).onConflict({ target: Counted.name, action: 'doUpdate', set: { name: excluded(Counted.name) } });
      expect(await Counted.select(Counted.name, Counted.version).first()).toEqual({ name: 'c', version: 3 });
      expectRefused(() => defineTable('auto_update_bad', { id: serial(), n: integer().autoUpdate('x' as never) }, { db }), /expects an integer/);
      expectRefused(() => integer().autoUpdate(Counted.version as never), /names no column/);
    } finally {
      await Counted.dropTable();
    }
  });

  behaviour('TestUpdateWithJoin::test_join', async ({ Band, insertRows, dialect }) => {
    await insertRows();
    const query = Band.update({ name: 'New name' }).where(Band.manager.name.eq('Guido'));
    // PostgreSQL has no rowid: its ctid names the row within the statement.
    const rowId = dialect === 'postgres' ? 'ctid' : '"rowid"';
    expect(query.toSQL().sql).toContain(`WHERE ${rowId} IN (SELECT "band".${rowId} FROM "band" LEFT JOIN "manager"`);
    await query;
    expect(await Band.select(Band.name).where(Band.id.eq(1))).toEqual([{ name: 'New name' }]);
  });

  behaviour('TestUpdateWithJoin::test_multiple_matches', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ popularity: 0 }).where(Band.manager.name.like('G%'));
    expect(await Band.select(Band.name).where(Band.popularity.eq(0)).orderBy(Band.id)).toEqual([{ name: 'Pythonistas' }, { name: 'Rustaceans' }]);
  });

  behaviour('TestUpdateWithJoin::test_no_matches', async ({ Band, insertRows }) => {
    await insertRows();
    expect((await Band.update({ popularity: 0 }).where(Band.manager.name.eq('Nobody'))).changes).toBe(0);
  });

  behaviour('TestUpdateWithJoin::test_and', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.update({ popularity: 0 }).where(Band.manager.name.like('G%')).where(Band.popularity.gt(1500));
    expect(await Band.select(Band.name).where(Band.popularity.eq(0))).toEqual([{ name: 'Rustaceans' }]);
  });

  behaviour('TestDBColumnName::test_db_column_name', async ({ db }) => {
    const Band = defineTable('u_dbname', { id: serial(), name: varchar({ length: 50 }).columnName('regrettable_column_name') }, { db });
    await Band.createTable();
    await Band.insert({ name: 'Pythonistas' });
    await Band.update({ name: Band.name.concat('!') }).where(Band.name.eq('Pythonistas'));
    expect(await Band.select(Band.name)).toEqual([{ name: 'Pythonistas!' }]);
    await Band.dropTable();
  });
});

parity('test_delete.py, test_count.py, test_exists.py, test_raw.py', ({ behaviour }) => {
  behaviour('test_delete.py::TestDelete::test_delete', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.delete().where(Band.name.eq('CSharps'));
    expect(await Band.count().where(Band.name.eq('CSharps'))).toBe(0);
  });

  behaviour('test_delete.py::TestDelete::test_delete_returning', async ({ Band, insertRows }) => {
    await insertRows();
    expect(await Band.delete().where(Band.name.eq('CSharps')).returning(Band.name)).toEqual([{ name: 'CSharps' }]);
  });

  behaviour('test_delete.py::TestDelete::test_validation', async ({ Band, insertRows }) => {
    await insertRows();
    await expect(Band.delete().run()).rejects.toMatchObject({ code: PiccoErrorCode.UNFILTERED_MUTATION });
    await Band.delete({ force: true });
    expect(await Band.count()).toBe(0);
  });

  behaviour('test_delete.py::TestDelete::test_delete_with_joins', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.delete().where(Band.manager.name.eq('Guido'));
    expect(await Band.select(Band.name).orderBy(Band.id)).toEqual([{ name: 'Rustaceans' }, { name: 'CSharps' }]);
  });

  behaviour('test_count.py::TestCount::test_count', async ({ Band, insertRows }) => {
    await insertRows();
    expect(await Band.count()).toBe(3);
  });

  behaviour('test_count.py::TestCount::test_count_where', async ({ Band, insertRows }) => {
    await insertRows();
    expect(await Band.count().where(Band.popularity.gt(500))).toBe(2);
  });

  behaviour('test_count.py::TestCount::test_count_distinct', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.insert({ name: 'Fortranists', popularity: 10 });
    expect(await Band.count({ distinct: [Band.popularity] })).toBe(3);
    expect(await Band.count().distinct([Band.popularity])).toBe(3);
  });

  behaviour('test_count.py::TestCount::test_count_distinct_multiple', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.insert([{ name: 'Pythonistas', popularity: 1000 }, { name: 'Pythonistas', popularity: 1 }]);
    expect(await Band.count({ distinct: [Band.name, Band.popularity] })).toBe(4);
  });

  behaviour('test_count.py::TestCount::test_value_error', ({ Band }) => {
    expectRefused(() => Band.count({ column: Band.name, distinct: [Band.name] }), /column or distinct, not both/);
  });

  behaviour('test_count.py (count of a column skips nulls)', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.insert({ name: 'Managerless' });
    expect(await Band.count({ column: Band.manager })).toBe(3);
  });

  behaviour('test_exists.py::TestExists::test_exists', async ({ Band, insertRows }) => {
    await insertRows();
    expect(await Band.exists().where(Band.name.eq('Pythonistas'))).toBe(true);
    expect(await Band.exists().where(Band.name.eq('Nobody'))).toBe(false);
  });

  behaviour('test_raw.py::TestRaw::test_raw_without_args', async ({ db, insertRows }) => {
    await insertRows();
    expect(await db.raw('SELECT name FROM band WHERE id = 1')).toEqual([{ name: 'Pythonistas' }]);
  });

  behaviour('test_raw.py::TestRaw::test_raw_with_args', async ({ db, insertRows, placeholders }) => {
    await insertRows();
    expect(await db.raw(placeholders('SELECT name FROM band WHERE name = ?'), ['Pythonistas'])).toEqual([{ name: 'Pythonistas' }]);
  });
});
