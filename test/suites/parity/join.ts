/** Piccolo tests/table/test_join.py, test_join_on.py, tests/columns/foreign_key/*, translated (see harness.ts). */
import { expect } from 'vitest';
import { createTables, defineTable, dropTables, foreignKey, serial, text, varchar } from '@picco/core';
import { constraintFailure } from '../engines.js';
import { parity, type ParityContext } from './harness.js';

async function concerts({ Band, Manager, Venue, Concert, insertRows }: ParityContext): Promise<void> {
  await insertRows();
  await Venue.insert({ name: 'Grand Central', capacity: 1000 });
  await Concert.insert({ band1: 1, band2: 2, venue: 1 });
  void Band;
  void Manager;
}

parity('test_join.py', ({ behaviour, differs, missing }) => {
  behaviour('TestCreateJoin::test_create_join', ({ Band, Concert }) => {
    const sql = Concert.select(Concert.band1.manager.name).toSQL().sql;
    expect(sql).toContain('LEFT JOIN "band" AS "band1" ON "concert"."band1" = "band1"."id"');
    expect(sql).toContain('LEFT JOIN "manager" AS "band1.manager" ON "band1"."manager" = "band1.manager"."id"');
    void Band;
  });

  behaviour('TestSelectJoin::test_select_join', async (context) => {
    const { Concert } = context;
    await concerts(context);
    const rows = await Concert.select(Concert.band1.name, Concert.band2.name, Concert.venue.name, Concert.band1.manager.name);
    expect(rows).toEqual([{ 'band1.name': 'Pythonistas', 'band2.name': 'Rustaceans', 'venue.name': 'Grand Central', 'band1.manager.name': 'Guido' }]);
  });

  differs('TestSelectJoin::test_underscore_syntax', "Piccolo's `_` escape is `$` in Picco (Band.manager.$.name), for columns whose names Column itself uses", async (context) => {
    const { Concert } = context;
    await concerts(context);
    expect(await Concert.select(Concert.band1.$.name, Concert.band1.$.manager.$.name)).toEqual([{ 'band1.name': 'Pythonistas', 'band1.manager.name': 'Guido' }]);
  });

  behaviour('TestSelectJoin::test_select_all_columns', async (context) => {
    const { Band } = context;
    await concerts(context);
    expect(await Band.select(Band.name, Band.manager.allColumns()).where(Band.name.eq('Pythonistas'))).toEqual([{ name: 'Pythonistas', 'manager.id': 1, 'manager.name': 'Guido' }]);
  });

  behaviour('TestSelectJoin::test_select_all_columns_deep', async (context) => {
    const { Concert } = context;
    await concerts(context);
    expect(await Concert.select(Concert.venue.allColumns(), Concert.band1.manager.allColumns(), Concert.band2.manager.allColumns())).toEqual([
      {
        'venue.id': 1,
        'venue.name': 'Grand Central',
        'venue.capacity': 1000,
        'band1.manager.id': 1,
        'band1.manager.name': 'Guido',
        'band2.manager.id': 2,
        'band2.manager.name': 'Graydon',
      },
    ]);
  });

  behaviour('TestSelectJoin::test_select_all_columns_root', async (context) => {
    const { Band } = context;
    await concerts(context);
    expect(await Band.select(Band.allColumns(), Band.manager.allColumns()).orderBy(Band.id).first()).toEqual({
      id: 1,
      name: 'Pythonistas',
      manager: 1,
      popularity: 1000,
      'manager.id': 1,
      'manager.name': 'Guido',
    });
    expect(await Band.select(Band.allColumns({ exclude: [Band.id, Band.manager] })).orderBy(Band.id).first()).toEqual({ name: 'Pythonistas', popularity: 1000 });
  });

  behaviour('TestSelectJoin::test_select_all_columns_root_nested', async (context) => {
    const { Band } = context;
    await concerts(context);
    expect(await Band.select(Band.name, Band.manager.allColumns()).where(Band.id.eq(1)).output({ nested: true })).toEqual([{ name: 'Pythonistas', manager: { id: 1, name: 'Guido' } }]);
  });

  behaviour('TestSelectJoin::test_select_all_columns_exclude', async (context) => {
    const { Band } = context;
    await concerts(context);
    expect(await Band.select(Band.name, Band.manager.allColumns({ exclude: [Band.manager.id] })).where(Band.id.eq(1))).toEqual([{ name: 'Pythonistas', 'manager.name': 'Guido' }]);
  });
  missing('TestObjectsJoin::test_objects_nested', 'the objects() API (table instances)');
  missing('TestObjectsJoin::test_objects__all_related__root', 'the objects() API (table instances)');
  missing('TestObjectsJoin::test_objects_prefetch_clause', 'the objects() API (table instances)');

  behaviour('test_join.py (LEFT JOIN: a null foreign key reads null)', async ({ Band, insertRows }) => {
    await insertRows();
    await Band.insert({ name: 'Managerless' });
    expect(await Band.select(Band.name, Band.manager.name).where(Band.name.eq('Managerless'))).toEqual([{ name: 'Managerless', 'manager.name': null }]);
    expect(await Band.count().where(Band.manager.name.isNull())).toBe(1);
  });

  behaviour('TestOutputNested::test_output_nested (test_output.py)', async (context) => {
    const { Concert } = context;
    await concerts(context);
    expect(await Concert.select(Concert.band1.name, Concert.band1.manager.name).output({ nested: true })).toEqual([{ band1: { name: 'Pythonistas', manager: { name: 'Guido' } } }]);
  });

  behaviour('TestOutputNested::test_output_nested_with_first (test_output.py)', async (context) => {
    const { Concert } = context;
    await concerts(context);
    expect(await Concert.select(Concert.band1.name).output({ nested: true }).first()).toEqual({ band1: { name: 'Pythonistas' } });
  });
});

parity('test_join_on.py', ({ behaviour }) => {
  behaviour('TestJoinOn::test_join_on', async ({ db }) => {
    const Manager = defineTable('jo_manager', { id: serial(), name: varchar({ length: 50 }), email: varchar({ length: 50 }).unique() }, { db });
    const Band = defineTable('jo_band', { id: serial(), name: varchar({ length: 50 }).unique(), manager: foreignKey(() => Manager).nullable() }, { db });
    const Concert = defineTable('jo_concert', { id: serial(), title: varchar({ length: 50 }), bandName: varchar({ length: 50 }) }, { db });
    for (const table of [Manager, Band, Concert]) await table.createTable({ ifNotExists: true });
    try {
      await Manager.insert([{ name: 'Guido', email: 'guido@example.com' }, { name: 'Maz', email: 'maz@example.com' }]);
      await Band.insert([{ name: 'Pythonistas', manager: 1 }, { name: 'Rustaceans', manager: 2 }]);
      await Concert.insert([{ title: 'Rockfest', bandName: 'Pythonistas' }, { title: 'Folkfest', bandName: 'Rustaceans' }]);
      const joined = Concert.bandName.joinOn(Band.name);
      const rows = await Concert.select(Concert.title, joined['id']!).orderBy(Concert.id);
      expect(rows).toEqual([
        { title: 'Rockfest', 'bandName.id': 1 },
        { title: 'Folkfest', 'bandName.id': 2 },
      ]);
    } finally {
      for (const table of [Concert, Band, Manager]) await table.dropTable();
    }
  });

  behaviour('TestJoinOn::test_deeper_join', async ({ db }) => {
    const Manager = defineTable('jd_manager', { id: serial(), name: varchar({ length: 50 }) }, { db });
    const Band = defineTable('jd_band', { id: serial(), name: varchar({ length: 50 }).unique(), manager: foreignKey(() => Manager).nullable() }, { db });
    const Concert = defineTable('jd_concert', { id: serial(), bandName: varchar({ length: 50 }) }, { db });
    for (const table of [Manager, Band, Concert]) await table.createTable({ ifNotExists: true });
    try {
      await Manager.insert({ name: 'Guido' });
      await Band.insert({ name: 'Pythonistas', manager: 1 });
      await Concert.insert({ bandName: 'Pythonistas' });
      const manager = Concert.bandName.joinOn(Band.name)['manager']!;
      expect(await Concert.select(manager.$['name']!)).toEqual([{ 'bandName.manager.name': 'Guido' }]);
    } finally {
      for (const table of [Concert, Band, Manager]) await table.dropTable();
    }
  });
});

parity('tests/columns/foreign_key', ({ behaviour, differs }) => {
  behaviour('test_all_columns.py::TestAllColumns::test_all_columns', ({ Band }) => {
    expect(Band.manager.allColumns().map((column) => column.key)).toEqual(['manager.id', 'manager.name']);
  });

  behaviour('test_all_columns.py::TestAllColumns::test_all_columns_deep', ({ Concert }) => {
    expect(Concert.band1.manager.allColumns().map((column) => column.key)).toEqual(['band1.manager.id', 'band1.manager.name']);
  });

  behaviour('test_all_columns.py::TestAllColumns::test_all_columns_exclude', ({ Band, Concert }) => {
    expect(Concert.band1.manager.allColumns({ exclude: [Concert.band1.manager.id] }).map((column) => column.key)).toEqual(['band1.manager.name']);
    expect(() => Band.manager.allColumns({ exclude: [Band.name as never] })).toThrow(/columns of the joined table/);
  });

  behaviour('test_attribute_access.py::TestAttributeAccess::test_attribute_access', ({ Band, Concert }) => {
    expect(Band.manager.name.key).toBe('manager.name');
    expect(Concert.band1.manager.name.key).toBe('band1.manager.name');
    // The same object each time: joins are made once.
    expect(Concert.band1.manager.name).toBe(Concert.band1.manager.name);
  });

  differs('test_attribute_access.py::TestAttributeAccess::test_recursion_limit', 'no depth limit is needed: joined columns are made lazily on access, so a self-referencing chain costs nothing until used', ({ Concert }) => {
    expect(Concert.band1.manager.id.key).toBe('band1.manager.id');
  });

  behaviour('test_foreign_key_references.py (a reference to a table defined later)', async ({ db }) => {
    const Later = (): typeof Tag => Tag;
    const Post = defineTable('fk_post', { id: serial(), tag: foreignKey(Later).nullable() }, { db });
    const Tag = defineTable('fk_tag', { id: serial(), label: varchar({ length: 10 }) }, { db });
    await Tag.createTable();
    await Post.createTable();
    try {
      await Tag.insert({ label: 'news' });
      await Post.insert({ tag: 1 });
      expect(await Post.select(Post.tag.label)).toEqual([{ 'tag.label': 'news' }]);
    } finally {
      await Post.dropTable();
      await Tag.dropTable();
    }
  });

  behaviour('test_foreign_key_self.py::TestForeignKeySelf::test_foreign_key_self', async ({ db }) => {
    const Staff = defineTable('fk_self_manager', { id: serial(), name: varchar({ length: 50 }), manager: foreignKey('self').nullable() }, { db });
    await Staff.dropTable({ ifExists: true });
    await Staff.createTable();
    try {
      const [boss] = await Staff.insert({ name: 'Mr Manager' }).returning(Staff.id);
      await Staff.insert({ name: 'Mr Worker', manager: boss!.id });
      expect(await Staff.select(Staff.name, Staff.manager.name).orderBy(Staff.name)).toEqual([
        { name: 'Mr Manager', 'manager.name': null },
        { name: 'Mr Worker', 'manager.name': 'Mr Manager' },
      ]);
      // Deeper: the manager's manager, and the reference is a real FOREIGN KEY.
      expect(await Staff.select(Staff.manager.manager.name).where(Staff.name.eq('Mr Worker'))).toEqual([{ 'manager.manager.name': null }]);
      await expect(Staff.insert({ name: 'Orphan', manager: 99 }).run()).rejects.toMatchObject(constraintFailure(db, 'FOREIGNKEY'));
    } finally {
      await Staff.dropTable();
    }
  });
  behaviour('test_reverse.py::TestReverse::test_reverse', async ({ db }) => {
    const Band = defineTable('rev_band', { id: serial(), name: varchar({ length: 50 }) }, { db });
    const FanClub = defineTable('rev_fan_club', { id: serial(), address: text(), band: foreignKey(() => Band).unique() }, { db });
    const Treasurer = defineTable('rev_treasurer', { id: serial(), name: varchar({ length: 50 }), fanClub: foreignKey(() => FanClub).unique() }, { db });
    await dropTables([Band, FanClub, Treasurer], { ifExists: true });
    await createTables([Band, FanClub, Treasurer]);
    try {
      await Band.insert({ name: 'Pythonistas' });
      await FanClub.insert({ band: 1, address: '1 Flying Circus, UK' });
      await Treasurer.insert({ fanClub: 1, name: 'Bob' });
      // Piccolo reverses a whole chain (Treasurer.fan_club._.band.reverse()); Picco reverses one
      // foreign key at a time, and each reversed table leads on through its own foreign keys.
      expect(await Band.select(Band.name, FanClub.band.reverse().address.as('address'))).toEqual([{ name: 'Pythonistas', address: '1 Flying Circus, UK' }]);
      expect(await Band.select(Band.name, FanClub.band.reverse().address)).toEqual([{ name: 'Pythonistas', 'rev_fan_club.address': '1 Flying Circus, UK' }]);
      expect(await FanClub.select(FanClub.address, Treasurer.fanClub.reverse().name.as('treasurer_name'))).toEqual([{ address: '1 Flying Circus, UK', treasurer_name: 'Bob' }]);
      // A band without a fan club reads null (a LEFT JOIN).
      await Band.insert({ name: 'Rustaceans' });
      expect(await Band.select(Band.name, FanClub.band.reverse().address).where(FanClub.band.reverse().address.isNull())).toEqual([{ name: 'Rustaceans', 'rev_fan_club.address': null }]);
      expect(() => (Band.name as unknown as { reverse(): unknown }).reverse()).toThrow(/not a foreign key/);
    } finally {
      await dropTables([Band, FanClub, Treasurer]);
    }
  });

  behaviour('test_reverse.py (from Manager to its bands: one row per band)', async ({ Manager, Band, insertRows }) => {
    await insertRows();
    await Manager.insert({ name: 'Idle' });
    await Band.insert({ name: 'Pythonistas II', manager: 1 });
    const rows = await Manager.select(Manager.name, Band.manager.reverse().name).orderBy(Manager.id).orderBy(Band.manager.reverse().id);
    expect(rows).toEqual([
      { name: 'Guido', 'band.name': 'Pythonistas' },
      { name: 'Guido', 'band.name': 'Pythonistas II' },
      { name: 'Graydon', 'band.name': 'Rustaceans' },
      { name: 'Mads', 'band.name': 'CSharps' },
      { name: 'Idle', 'band.name': null },
    ]);
  });
  behaviour('test_target_column.py::TestTargetColumnWithString::test_queries', async ({ db }) => {
    const Manager = defineTable('tc_manager', { id: serial(), name: varchar({ length: 50 }).unique() }, { db });
    const Band = defineTable('tc_band', { id: serial(), name: varchar({ length: 50 }), manager: foreignKey(() => Manager, { targetColumn: 'name' }) }, { db });
    await dropTables([Manager, Band], { ifExists: true });
    await createTables([Manager, Band]);
    try {
      await Manager.insert([{ name: 'Guido' }, { name: 'Graydon' }]);
      // The foreign key holds the target column's value, typed like it (a string).
      await Band.insert([
        { name: 'Pythonistas', manager: 'Guido' },
        { name: 'Rustaceans', manager: 'Graydon' },
      ]);
      expect(await Band.select(Band.name, Band.manager.name).orderBy(Band.id)).toEqual([
        { name: 'Pythonistas', 'manager.name': 'Guido' },
        { name: 'Rustaceans', 'manager.name': 'Graydon' },
      ]);
      expect(Band.createTable().toSQL().sql).toContain('REFERENCES "tc_manager" ("name")');
      await expect(Band.insert({ name: 'Nobody', manager: 'Nobody' }).run()).rejects.toMatchObject(constraintFailure(db, 'FOREIGNKEY'));
    } finally {
      await dropTables([Manager, Band]);
    }
  });

  behaviour('test_target_column.py (a target that is not unique is refused)', ({ db }) => {
    const Manager = defineTable('tc_manager_plain', { id: serial(), name: varchar({ length: 50 }) }, { db });
    const Band = defineTable('tc_band_plain', { id: serial(), manager: foreignKey(() => Manager, { targetColumn: 'name' }) }, { db });
    expect(() => Band.createTable()).toThrow(/neither unique nor the primary key/);
    const Typo = defineTable('tc_band_typo', { id: serial(), manager: foreignKey(() => Manager, { targetColumn: 'nmae' as 'name' }) }, { db });
    expect(() => Typo.createTable()).toThrow(/not a column of "tc_manager_plain"/);
    expect(() => Typo.select(Typo.manager.name)).toThrow(/not a column of "tc_manager_plain"/);
  });
});
