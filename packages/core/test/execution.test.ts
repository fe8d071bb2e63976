/**
 * The little that core does around execution, seen through RecordingEngine (our own Engine
 * interface, answered from memory): what it hands the engine, how results are decoded, and
 * that createTables/dropTables run their steps in order inside one transaction.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { bigint, boolean, createTables, defineTable, dropTables, foreignKey, json, serial, text, timestamp } from '@picco/core';
import { RecordingEngine } from './helpers.js';

const engine = new RecordingEngine();
const Artist = defineTable('artist', { id: serial(), name: text() }, { db: engine });
const Album = defineTable(
  'album',
  { id: serial(), artist: foreignKey(() => Artist), live: boolean(), at: timestamp().nullable(), meta: json<{ tracks: number }>(), sales: bigint() },
  { db: engine },
);

beforeEach(() => {
  engine.log.length = 0;
  engine.executed.length = 0;
  engine.result = { rows: [], changes: 0, lastInsertRowid: 0 };
});

describe('what the engine receives', () => {
  it('runSync() and run() hand over the query’s own compiled SQL', async () => {
    const query = Artist.select().where(Artist.name.eq('x'));
    query.runSync();
    await query.run();
    expect(engine.executed).toEqual([query.toSQL(), query.toSQL()]);
    expect(engine.executed[0]).toBe(query.toSQL());
    expect(engine.log).toEqual(['sync SELECT "id", "name" FROM "artist" WHERE "name" = ?', 'async SELECT "id", "name" FROM "artist" WHERE "name" = ?']);
  });

  it('a query is lazy: building it runs nothing, awaiting it runs it once', async () => {
    const query = Artist.insert({ name: 'a' });
    expect(engine.executed).toEqual([]);
    await query;
    expect(engine.executed).toHaveLength(1);
  });
});

describe('decoding results', () => {
  const stored = { id: 1, artist: 2, live: 1, at: '2024-05-06T07:08:09.000Z', meta: '{"tracks":12}', sales: 5 };

  it('select() decodes booleans, dates, json and bigints', () => {
    engine.result = { rows: [{ ...stored }, { ...stored, live: 0, at: null }], changes: 0, lastInsertRowid: 0 };
    const rows = Album.select().runSync();
    expect(rows).toEqual([
      { id: 1, artist: 2, live: true, at: new Date('2024-05-06T07:08:09.000Z'), meta: { tracks: 12 }, sales: 5n },
      { id: 1, artist: 2, live: false, at: null, meta: { tracks: 12 }, sales: 5n },
    ]);
  });

  it('first() resolves to the first decoded row, or undefined', async () => {
    engine.result = { rows: [{ live: 1 }], changes: 0, lastInsertRowid: 0 };
    expect(await Album.select(Album.live).first()).toEqual({ live: true });
    engine.result = { rows: [], changes: 0, lastInsertRowid: 0 };
    expect(await Album.select().first()).toBeUndefined();
  });

  it('count() resolves to a number and exists()/tableExists() to a boolean', async () => {
    engine.result = { rows: [{ count: 3 }], changes: 0, lastInsertRowid: 0 };
    expect(await Artist.count()).toBe(3);
    engine.result = { rows: [{ exists: 1 }], changes: 0, lastInsertRowid: 0 };
    expect(Artist.exists().runSync()).toBe(true);
    expect(await Artist.tableExists()).toBe(true);
    engine.result = { rows: [{ exists: 0 }], changes: 0, lastInsertRowid: 0 };
    expect(await Artist.exists()).toBe(false);
  });

  it('a mutation resolves to { changes, lastInsertRowid }, or to decoded rows with returning', async () => {
    engine.result = { rows: [], changes: 2, lastInsertRowid: 9 };
    expect(await Artist.insert([{ name: 'a' }, { name: 'b' }])).toEqual({ changes: 2, lastInsertRowid: 9 });
    engine.result = { rows: [{ id: 4, live: 0 }], changes: 1, lastInsertRowid: 4 };
    expect(Album.update({ live: false }).where(Album.id.eq(4)).returning(Album.id, Album.live).runSync()).toEqual([{ id: 4, live: false }]);
  });
});

describe('createTables / dropTables execution', () => {
  it('runSync() runs each createTable in foreign-key order inside one transaction', () => {
    createTables([Album, Artist]).runSync();
    expect(engine.log).toEqual(['begin', `sync ${Artist.createTable().toSQL().sql}`, `sync ${Album.createTable().toSQL().sql}`, 'commit']);
  });

  it('run() does the same asynchronously', async () => {
    await dropTables([Artist, Album], { ifExists: true });
    expect(engine.log).toEqual(['begin', 'async DROP TABLE IF EXISTS "album"', 'async DROP TABLE IF EXISTS "artist"', 'commit']);
  });
});
