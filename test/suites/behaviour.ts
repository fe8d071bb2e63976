/**
 * One behaviour suite, run against every engine (Drizzle's pattern): SQLite shared memory, a
 * SQLite file inline and with the worker pool (packages/runtime/test/behaviour.test.ts), and
 * PostgreSQL (packages/postgres/test/behaviour.test.ts). Whatever runs a query, the results are
 * the same JavaScript values; where PostgreSQL differs (no synchronous calls, LIKE keeps case,
 * no INSERT OR REPLACE, no last insert rowid), the test asserts each engine's answer and says why.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { and, createTables, dropTables, not, or, PiccoErrorCode } from '@picco/core';
import { bandSchema } from './band-schema.js';
import { constraintFailure, dialectOf, indexNames, placeholders, schemaRefusal, type EngineUnderTest, type TestEngine } from './engines.js';

export function runBehaviourSuite(engines: readonly EngineUnderTest[]): void {
  describe.each(engines)('$name', (config) => {
    let engine: TestEngine;
    let cleanup: () => Promise<void>;
    let schema: ReturnType<typeof bandSchema<TestEngine>>;
    /** PostgreSQL has no synchronous driver: `.runSync()` and `transactionSync()` are refused there. */
    const isPostgres = () => dialectOf(engine) === 'postgres';
    const syncRefused = expect.objectContaining({ code: PiccoErrorCode.SYNC_UNSUPPORTED });

    beforeEach(async () => {
      ({ engine, cleanup } = await config.create());
      schema = bandSchema(engine);
      await createTables([schema.Concert, schema.Band, schema.Manager]);
    });
    afterEach(async () => cleanup());

    async function seed() {
      const { Manager, Band } = schema;
      const [guido] = await Manager.insert({ name: 'Guido' }).returning(Manager.id);
      const [graydon] = await Manager.insert({ name: 'Graydon' }).returning(Manager.id);
      await Band.insert([
        { name: 'Pythonistas', popularity: 1000, manager: guido!.id },
        { name: 'Rustaceans', popularity: 500, manager: graydon!.id },
        { name: 'C-Sharps', popularity: 10, active: false },
        { name: 'Gophers', popularity: 200, manager: guido!.id },
      ]);
      return { guido: guido!.id, graydon: graydon!.id };
    }

    describe('create, read, update, delete', () => {
      it('inserts with defaults and reads back typed values', async () => {
        const { Band } = schema;
        const result = await Band.insert({ name: 'Pythonistas' });
        expect(result.changes).toBe(1);
        // PostgreSQL has no last insert rowid (returning() says which row was made): 0 there.
        expect(result.lastInsertRowid).toBe(isPostgres() ? 0 : 1);
        expect(await Band.select()).toEqual([{ id: 1, name: 'Pythonistas', popularity: 0, active: true, manager: null }]);
      });

      it('runs the same queries synchronously and sees what async queries wrote', async () => {
        const { Band } = schema;
        await Band.insert({ name: 'Async' });
        if (isPostgres()) {
          expect(() => Band.insert({ name: 'Sync' }).runSync()).toThrow(syncRefused);
          expect(await Band.select(Band.name).orderBy(Band.name)).toEqual([{ name: 'Async' }]);
          return;
        }
        Band.insert({ name: 'Sync' }).runSync();
        expect(Band.select(Band.name).orderBy(Band.name).runSync()).toEqual([{ name: 'Async' }, { name: 'Sync' }]);
        expect(await Band.count()).toBe(2);
      });

      it('updates matching rows only and reports how many changed', async () => {
        const { Band } = schema;
        await seed();
        const result = await Band.update({ popularity: 2000 }).where(Band.name.eq('Pythonistas'));
        expect(result.changes).toBe(1);
        expect(await Band.select(Band.popularity).where(Band.name.eq('Pythonistas')).first()).toEqual({ popularity: 2000 });
        expect(await Band.select(Band.popularity).where(Band.name.eq('Rustaceans')).first()).toEqual({ popularity: 500 });
      });

      it('returns updated and deleted rows with returning()', async () => {
        const { Band } = schema;
        await seed();
        const updated = await Band.update({ active: false }).where(Band.popularity.gt(300)).returning(Band.name, Band.active);
        expect(updated.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
          { name: 'Pythonistas', active: false },
          { name: 'Rustaceans', active: false },
        ]);
        const deleted = await Band.delete().where(Band.popularity.lt(100)).returning(Band.name);
        expect(deleted).toEqual([{ name: 'C-Sharps' }]);
        expect(await Band.count()).toBe(3);
      });

      it('deletes every row only with { force: true }', async () => {
        const { Band } = schema;
        await seed();
        await expect(Band.delete()).rejects.toMatchObject({ code: PiccoErrorCode.UNFILTERED_MUTATION });
        expect(() => Band.update({ popularity: 0 }).runSync()).toThrow(expect.objectContaining({ code: PiccoErrorCode.UNFILTERED_MUTATION }));
        expect(await Band.count()).toBe(4);
        expect((await Band.delete({ force: true })).changes).toBe(4);
        expect(await Band.exists()).toBe(false);
      });

      it('round-trips timestamps, json, bigint and real values', async () => {
        const { Concert } = schema;
        const startsAt = new Date('2026-11-27T20:00:00.123Z');
        const huge = 2n ** 62n + 7n;
        await Concert.insert({ startsAt, details: { venue: 'Main "Hall"', capacity: 5000 }, ticketsSold: huge, rating: 4.5 });
        const [concert] = await Concert.select();
        expect(concert).toEqual({ id: 1, band: null, startsAt, details: { venue: 'Main "Hall"', capacity: 5000 }, ticketsSold: huge, rating: 4.5, notes: null });
        expect(concert!.startsAt).toBeInstanceOf(Date);
        expect(typeof concert!.ticketsSold).toBe('bigint');
        expect(await Concert.select(Concert.ticketsSold).where(Concert.ticketsSold.gt(2n ** 62n))).toEqual([{ ticketsSold: huge }]);
        expect(await Concert.count().where(Concert.startsAt.lt(new Date('2027-01-01')))).toBe(1);
      });

      it('skips or replaces conflicting rows with onConflict()', async () => {
        const { Band } = schema;
        await Band.insert({ name: 'Unique', popularity: 1 });
        await expect(Band.insert({ name: 'Unique' })).rejects.toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, ...constraintFailure(engine, 'UNIQUE') });
        expect((await Band.insert({ name: 'Unique' }).onConflict('ignore')).changes).toBe(0);
        if (isPostgres()) {
          // No INSERT OR REPLACE on PostgreSQL (it deletes the old row): refused, nothing written.
          await expect(Band.insert({ name: 'Unique', popularity: 9 }).onConflict('replace').run()).rejects.toMatchObject({ code: PiccoErrorCode.INVALID_QUERY });
          await Band.insert({ name: 'Unique', popularity: 9 }).onConflict({ target: Band.name, action: 'doUpdate', set: [Band.popularity] });
        } else {
          await Band.insert({ name: 'Unique', popularity: 9 }).onConflict('replace');
        }
        expect(await Band.select(Band.popularity)).toEqual([{ popularity: 9 }]);
      });

      it('enforces varchar lengths and boolean values in the schema itself', async () => {
        await expect(engine.raw(placeholders(engine, `INSERT INTO band (name) VALUES (?)`), ['x'.repeat(51)])).rejects.toMatchObject(schemaRefusal(engine, '22001'));
        // 42804: an integer is not a boolean to PostgreSQL; SQLite's CHECK keeps it to 0 and 1.
        await expect(engine.raw(`INSERT INTO band (name, active) VALUES ('b', 2)`)).rejects.toMatchObject(schemaRefusal(engine, '42804'));
      });
    });

    describe('where operators', () => {
      beforeEach(seed);
      const names = async (query: PromiseLike<{ name: string }[]>) => (await query).map((row) => row.name).sort();

      it.each([
        ['eq', () => schema.Band.popularity.eq(500), ['Rustaceans']],
        ['ne', () => schema.Band.popularity.ne(500), ['C-Sharps', 'Gophers', 'Pythonistas']],
        ['gt', () => schema.Band.popularity.gt(200), ['Pythonistas', 'Rustaceans']],
        ['gte', () => schema.Band.popularity.gte(200), ['Gophers', 'Pythonistas', 'Rustaceans']],
        ['lt', () => schema.Band.popularity.lt(200), ['C-Sharps']],
        ['lte', () => schema.Band.popularity.lte(200), ['C-Sharps', 'Gophers']],
        ['in', () => schema.Band.name.in(['Gophers', 'Nobody', 'C-Sharps']), ['C-Sharps', 'Gophers']],
        ['in (empty)', () => schema.Band.name.in([]), []],
        ['notIn', () => schema.Band.name.notIn(['Gophers', 'C-Sharps']), ['Pythonistas', 'Rustaceans']],
        ['notIn (empty)', () => schema.Band.name.notIn([]), ['C-Sharps', 'Gophers', 'Pythonistas', 'Rustaceans']],
        // SQLite's LIKE ignores ASCII case, PostgreSQL's does not: ilike() is the same on both.
        ['like', () => schema.Band.name.like('%ST%'), () => (isPostgres() ? [] : ['Pythonistas', 'Rustaceans'])],
        ['like (same case)', () => schema.Band.name.like('%st%'), ['Pythonistas', 'Rustaceans']],
        ['ilike', () => schema.Band.name.ilike('%ST%'), ['Pythonistas', 'Rustaceans']],
        ['isNull', () => schema.Band.manager.isNull(), ['C-Sharps']],
        ['isNotNull', () => schema.Band.manager.isNotNull(), ['Gophers', 'Pythonistas', 'Rustaceans']],
        ['eq(null)', () => schema.Band.manager.eq(null), ['C-Sharps']],
        ['boolean eq', () => schema.Band.active.eq(false), ['C-Sharps']],
        ['and', () => and(schema.Band.popularity.gt(100), schema.Band.active.eq(true)), ['Gophers', 'Pythonistas', 'Rustaceans']],
        ['or', () => or(schema.Band.popularity.gt(900), schema.Band.active.eq(false)), ['C-Sharps', 'Pythonistas']],
        ['not', () => not(or(schema.Band.popularity.gt(900), schema.Band.active.eq(false))), ['Gophers', 'Rustaceans']],
      ] as const)('%s', async (_name, condition, expectedRows) => {
        const { Band } = schema;
        const expected = typeof expectedRows === 'function' ? expectedRows() : expectedRows;
        expect(await names(Band.select(Band.name).where(condition()))).toEqual(expected);
        expect(await Band.count().where(condition())).toBe(expected.length);
        expect(await Band.exists().where(condition())).toBe(expected.length > 0);
      });

      it('ANDs several where() calls', async () => {
        const { Band } = schema;
        expect(await names(Band.select(Band.name).where(Band.popularity.gt(100)).where(Band.popularity.lt(600)))).toEqual(['Gophers', 'Rustaceans']);
      });
    });

    describe('ordering and limits', () => {
      beforeEach(seed);

      it('orders by several columns in both directions', async () => {
        const { Band } = schema;
        const rows = await Band.select(Band.name).orderBy(Band.active, 'desc').orderBy(Band.popularity, 'asc');
        expect(rows.map((row) => row.name)).toEqual(['Gophers', 'Rustaceans', 'Pythonistas', 'C-Sharps']);
      });

      it('limits, offsets and takes the first row', async () => {
        const { Band } = schema;
        const byPopularity = Band.select(Band.name).orderBy(Band.popularity, 'desc');
        expect((await byPopularity.limit(2)).map((row) => row.name)).toEqual(['Pythonistas', 'Rustaceans']);
        expect((await byPopularity.limit(2).offset(1)).map((row) => row.name)).toEqual(['Rustaceans', 'Gophers']);
        expect((await byPopularity.offset(3)).map((row) => row.name)).toEqual(['C-Sharps']);
        expect(await byPopularity.first()).toEqual({ name: 'Pythonistas' });
        expect(await byPopularity.where(Band.popularity.gt(5000)).first()).toBeUndefined();
      });
    });

    describe('foreign keys', () => {
      it('cascades and nulls on delete as declared', async () => {
        const { Manager, Band, Concert } = schema;
        const { guido } = await seed();
        const [pythonistas] = await Band.select(Band.id).where(Band.name.eq('Pythonistas'));
        await Concert.insert({ band: pythonistas!.id, startsAt: new Date() });
        await Manager.delete().where(Manager.id.eq(guido));
        expect((await Band.select(Band.name).orderBy(Band.name)).map((row) => row.name)).toEqual(['C-Sharps', 'Rustaceans']);
        expect(await Concert.select(Concert.band)).toEqual([{ band: null }]);
      });

      it('refuses a reference to a missing row', async () => {
        const { Band } = schema;
        await expect(Band.insert({ name: 'Orphans', manager: 999 })).rejects.toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, ...constraintFailure(engine, 'FOREIGNKEY') });
      });
    });

    describe('schema', () => {
      it('creates tables in foreign-key order and drops them in reverse', async () => {
        const { Manager, Band, Concert } = schema;
        expect(createTables([Concert, Band, Manager]).statements().map((statement) => statement.table)).toEqual(['manager', 'band', 'concert']);
        expect(await Concert.tableExists()).toBe(true);
        await dropTables([Manager, Concert, Band]);
        expect(await Manager.tableExists()).toBe(false);
        if (isPostgres()) {
          expect(() => Band.tableExists().runSync()).toThrow(syncRefused);
          expect(() => createTables([Band, Manager, Concert]).runSync()).toThrow(syncRefused);
          await createTables([Band, Manager, Concert]);
        } else {
          expect(Band.tableExists().runSync()).toBe(false);
          createTables([Band, Manager, Concert]).runSync();
        }
        expect(await Band.tableExists()).toBe(true);
        expect(await indexNames(engine, 'concert')).toEqual(['concert_notes_idx']);
      });

      it('creates nothing when one table of createTables fails', async () => {
        const { Manager, Band, Concert } = schema;
        await dropTables([Manager, Band, Concert]);
        await engine.raw('CREATE TABLE band (x integer)');
        await expect(createTables([Manager, Band, Concert])).rejects.toMatchObject({ code: PiccoErrorCode.QUERY_FAILED });
        expect(await Manager.tableExists()).toBe(false);
      });
    });

    describe('transactions', () => {
      it('commits and returns the callback value', async () => {
        const { Band } = schema;
        const value = await engine.transaction(async () => {
          await Band.insert({ name: 'One' });
          await Band.insert({ name: 'Two' });
          return Band.count();
        });
        expect(value).toBe(2);
        expect(await Band.count()).toBe(2);
      });

      it('sees its own writes and rolls back on a throw', async () => {
        const { Band } = schema;
        const failure = new Error('abort');
        await expect(
          engine.transaction(async () => {
            await Band.insert({ name: 'Ghost' });
            expect(await Band.exists().where(Band.name.eq('Ghost'))).toBe(true);
            throw failure;
          }),
        ).rejects.toBe(failure);
        expect(await Band.count()).toBe(0);
      });

      it('nests with savepoints: an inner failure undoes only the inner work', async () => {
        const { Band } = schema;
        await engine.transaction(async () => {
          await Band.insert({ name: 'Outer' });
          await engine.transaction(async () => {
            await Band.insert({ name: 'Inner kept' });
          });
          await expect(
            engine.transaction(async () => {
              await Band.insert({ name: 'Inner lost' });
              throw new Error('inner');
            }),
          ).rejects.toThrow('inner');
        });
        expect((await Band.select(Band.name).orderBy(Band.name)).map((row) => row.name)).toEqual(['Inner kept', 'Outer']);
      });

      it('keeps queries from outside a transaction out of it', async () => {
        const { Band } = schema;
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const transaction = engine
          .transaction(async () => {
            await Band.insert({ name: 'Inside' });
            await gate;
            throw new Error('rollback');
          })
          .catch((error: Error) => error.message);
        const outside = Band.insert({ name: 'Outside' });
        await new Promise((resolve) => setTimeout(resolve, 20));
        release();
        expect(await transaction).toBe('rollback');
        await outside;
        expect((await Band.select(Band.name)).map((row) => row.name)).toEqual(['Outside']);
      });

      it('runs transactionSync, nested, with rollback on a throw', async () => {
        const { Band } = schema;
        if (isPostgres()) {
          expect(() => engine.transactionSync(() => undefined)).toThrow(syncRefused);
          expect(await Band.count()).toBe(0);
          return;
        }
        engine.transactionSync(() => {
          Band.insert({ name: 'A' }).runSync();
          expect(() =>
            engine.transactionSync(() => {
              Band.insert({ name: 'B' }).runSync();
              throw new Error('inner');
            }),
          ).toThrow('inner');
        });
        expect(() =>
          engine.transactionSync(() => {
            Band.insert({ name: 'C' }).runSync();
            throw new Error('outer');
          }),
        ).toThrow('outer');
        expect(Band.select(Band.name).runSync()).toEqual([{ name: 'A' }]);
      });

      it('refuses a transactionSync callback that returns a promise, and rolls it back', async () => {
        const { Band } = schema;
        if (isPostgres()) {
          // Refused before the callback runs: there is no synchronous transaction to roll back.
          let ran = false;
          expect(() => engine.transactionSync(() => Promise.resolve((ran = true)))).toThrow(syncRefused);
          expect(ran).toBe(false);
          expect(await Band.count()).toBe(0);
          return;
        }
        expect(() =>
          engine.transactionSync(() => {
            Band.insert({ name: 'Sync part' }).runSync();
            return Promise.resolve();
          }),
        ).toThrow(expect.objectContaining({ code: PiccoErrorCode.INVALID_QUERY }));
        expect(Band.count().runSync()).toBe(0);
      });
    });

    describe('raw SQL', () => {
      it('runs parameterized SQL and returns rows, or [] for statements without rows', async () => {
        const { Band } = schema;
        await seed();
        expect(await engine.raw(placeholders(engine, 'UPDATE band SET popularity = popularity + ? WHERE name = ?'), [1, 'Gophers'])).toEqual([]);
        expect(await engine.raw<{ name: string; popularity: number }>(placeholders(engine, 'SELECT name, popularity FROM band WHERE popularity BETWEEN ? AND ? ORDER BY name'), [150, 600])).toEqual([
          { name: 'Gophers', popularity: 201 },
          { name: 'Rustaceans', popularity: 500 },
        ]);
        if (isPostgres()) expect(await engine.raw('SELECT count(*) AS n FROM band')).toEqual([{ n: 4 }]);
        else expect(engine.raw('SELECT count(*) AS n FROM band').runSync()).toEqual([{ n: 4 }]);
        expect(await Band.count()).toBe(4);
      });

      it('joins two tables', async () => {
        await seed();
        const rows = await engine.raw<{ band: string; manager: string }>(
          'SELECT band.name AS band, manager.name AS manager FROM band JOIN manager ON manager.id = band.manager ORDER BY band.name',
        );
        expect(rows).toEqual([
          { band: 'Gophers', manager: 'Guido' },
          { band: 'Pythonistas', manager: 'Guido' },
          { band: 'Rustaceans', manager: 'Graydon' },
        ]);
      });
    });
  });
}
