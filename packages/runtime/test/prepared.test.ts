/**
 * Prepared queries (`query.prepare()` with `param()`), on every engine kind: each kind of query,
 * bad values from untyped code, and the misuse paths (closed engine, transactions, sync beside
 * an async transaction, concurrency) where a prepared query must behave exactly like the
 * ordinary query it was built from.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { and, avg, count, max, param, PiccoErrorCode, type Engine } from '@picco/core';
import { ENGINE_CONFIGS } from './engine-configs.js';
import { bandSchema } from '../../../test/suites/band-schema.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function seeded<E extends Engine>(engine: E) {
  const tables = bandSchema(engine);
  const { Manager, Band, Concert } = tables;
  for (const table of [Manager, Band, Concert]) await table.createTable();
  await Manager.insert([{ name: 'Guido' }, { name: 'Graydon' }]);
  await Band.insert([
    { name: 'Pythonistas', popularity: 1000, manager: 1 },
    { name: 'Rustaceans', popularity: 2000, manager: 2 },
    { name: 'C-Sharps', popularity: 10, manager: null },
  ]);
  return tables;
}

for (const config of ENGINE_CONFIGS) {
  describe(`prepared queries on ${config.name}`, () => {
    async function setup() {
      const { engine, cleanup } = config.create();
      cleanups.push(cleanup);
      return { engine, ...(await seeded(engine)) };
    }

    it('selects by a parameter, sync and async, with the same rows as the unprepared query', async () => {
      const { Band } = await setup();
      const byId = Band.select().where(Band.id.eq(param('id'))).first().prepare();
      expect(byId.runSync({ id: 2 })).toEqual(Band.select().where(Band.id.eq(2)).first().runSync());
      expect(await byId.run({ id: 1 })).toMatchObject({ name: 'Pythonistas', active: true });
      expect(await byId.run({ id: 99 })).toBeUndefined();
      const popular = Band.select(Band.name).where(Band.popularity.gte(param('min'))).orderBy(Band.name).prepare();
      expect(await popular.run({ min: 1000 })).toEqual([{ name: 'Pythonistas' }, { name: 'Rustaceans' }]);
      expect(popular.runSync({ min: 5000 })).toEqual([]);
      expect(popular.parameterNames).toEqual(['min']);
    });

    it('mixes constants and parameters, and uses one parameter in several places', async () => {
      const { Band } = await setup();
      const query = Band.select(Band.name)
        .where(and(Band.popularity.between(param('low'), 5000), Band.name.ne('Rustaceans')), Band.id.lte(param('low')))
        .prepare();
      expect(query.toSQL({ low: 1000 }).params).toEqual([1000, 5000, 'Rustaceans', 1000]);
      expect(await query.run({ low: 1000 })).toEqual([{ name: 'Pythonistas' }]);
    });

    it('joins and aggregates', async () => {
      const { Band } = await setup();
      const byManager = Band.select(Band.name, Band.manager.name).where(Band.manager.name.eq(param('manager'))).prepare();
      expect(await byManager.run({ manager: 'Graydon' })).toEqual([{ name: 'Rustaceans', 'manager.name': 'Graydon' }]);
      const stats = Band.select(count().as('n'), avg(Band.popularity).as('mean'), max(Band.name).as('last')).where(Band.popularity.gt(param('above'))).first().prepare();
      expect(stats.runSync({ above: 500 })).toEqual({ n: 2, mean: 1500, last: 'Rustaceans' });
      const counted = Band.count().where(Band.popularity.lt(param('below'))).prepare();
      expect(await counted.run({ below: 1500 })).toBe(2);
      const exists = Band.exists().where(Band.name.eq(param('name'))).prepare();
      expect(exists.runSync({ name: 'C-Sharps' })).toBe(true);
      expect(await exists.run({ name: 'Nope' })).toBe(false);
    });

    it('inserts, updates and deletes, with encoders applied to each value', async () => {
      const { Band, Concert } = await setup();
      const add = Band.insert({ name: param('name'), popularity: param('popularity'), active: param('active') }).prepare();
      expect((await add.run({ name: 'Gophers', popularity: 5, active: false })).changes).toBe(1);
      add.runSync({ name: 'Haskellers', popularity: 6, active: true });
      expect(Band.select(Band.name, Band.active).where(Band.popularity.lt(10)).orderBy(Band.name).runSync()).toEqual([
        { name: 'Gophers', active: false },
        { name: 'Haskellers', active: true },
      ]);
      const when = new Date('2024-05-01T20:00:00.000Z');
      const addConcert = Concert.insert({ band: param('band'), startsAt: param('at'), ticketsSold: param('sold') }).returning(Concert.startsAt, Concert.ticketsSold).prepare();
      expect(await addConcert.run({ band: 1, at: when, sold: 2n ** 40n })).toEqual([{ startsAt: when, ticketsSold: 2n ** 40n }]);
      const setPopularity = Band.update({ popularity: param('popularity') }).where(Band.name.eq(param('name'))).prepare();
      expect((await setPopularity.run({ popularity: 7, name: 'Gophers' })).changes).toBe(1);
      expect(setPopularity.runSync({ popularity: 8, name: 'Nobody' }).changes).toBe(0);
      const remove = Band.delete().where(Band.popularity.lt(param('below'))).prepare();
      expect((await remove.run({ below: 10 })).changes).toBe(2);
      expect(Band.count().runSync()).toBe(3);
    });

    it('refuses bad values from untyped code with a PiccoError, running nothing', async () => {
      const { Band } = await setup();
      const byId = Band.select().where(Band.id.eq(param('id'))).prepare();
      const untyped = byId as unknown as { run(values?: unknown): Promise<unknown>; runSync(values?: unknown): unknown };
      const invalid = { code: PiccoErrorCode.INVALID_QUERY };
      expect(() => untyped.runSync()).toThrow(expect.objectContaining(invalid));
      expect(() => untyped.runSync({})).toThrow(/Parameter "id".*got no value/);
      expect(() => untyped.runSync({ id: '1' })).toThrow(/Parameter "id".*expects an integer/);
      expect(() => untyped.runSync({ id: null })).toThrow(/Parameter "id".*got null/);
      expect(() => untyped.runSync({ id: 1, idd: 2 })).toThrow(/unknown parameter "idd"/);
      expect(() => untyped.runSync(1)).toThrow(/one object/);
      await expect(untyped.run({ id: 1, extra: true })).rejects.toMatchObject(invalid);
      await expect(untyped.run({ id: 1.5 })).rejects.toMatchObject(invalid);
      // A parameter assigned to a nullable column takes null; a required one does not.
      const setManager = Band.update({ manager: param('manager') }).where(Band.id.eq(param('id'))).prepare();
      expect((await setManager.run({ manager: null, id: 1 })).changes).toBe(1);
      const add = Band.insert({ name: param('name') }).prepare() as unknown as { run(values: unknown): Promise<unknown> };
      await expect(add.run({ name: null })).rejects.toThrow(/Parameter "name".*got null/);
      expect(Band.count().runSync()).toBe(3);
    });

    it('refuses to run a query with parameters without prepare()', async () => {
      const { Band } = await setup();
      const query = Band.select().where(Band.id.eq(param('id')));
      expect(() => query.runSync()).toThrow(/has parameters \(param\('id'\)\).*prepare\(\)/);
      await expect(query.run()).rejects.toMatchObject({ code: PiccoErrorCode.INVALID_QUERY });
      await expect(Band.insert({ name: param('name') })).rejects.toThrow(/param\('name'\)/);
      expect(Band.count().runSync()).toBe(3);
    });

    it('refuses parameters where they are not supported, when the query is built', async () => {
      const { Band } = await setup();
      const p = param('x') as never;
      expect(() => Band.id.in([p])).toThrow(/param\('x'\).*not supported/);
      expect(() => Band.popularity.plus(p)).toThrow(/param\('x'\).*not supported/);
      expect(() => param('' as string)).toThrow(/non-empty name/);
    });

    it('a prepared mutation without where() is refused at prepare(), as the query is at run', async () => {
      const { Band } = await setup();
      expect(() => Band.update({ popularity: param('p') }).prepare()).toThrow(expect.objectContaining({ code: PiccoErrorCode.UNFILTERED_MUTATION }));
      expect(Band.update({ popularity: param('p') }, { force: true }).prepare().runSync({ p: 3 }).changes).toBe(3);
    });

    it('joins the current async transaction, and rolls back with it', async () => {
      const { engine, Band } = await setup();
      const add = Band.insert({ name: param('name') }).prepare();
      const count = Band.count().prepare();
      await expect(
        engine.transaction(async () => {
          await add.run({ name: 'Inside' });
          // Visible inside the transaction: it ran on the transaction's connection.
          expect(await count.run()).toBe(4);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await count.run()).toBe(3);
      await engine.transaction(async () => {
        await add.run({ name: 'Kept' });
      });
      expect(await count.run()).toBe(4);
    });

    it('a prepared runSync() beside an open async transaction behaves as an ordinary runSync()', async () => {
      const { engine, Band } = await setup();
      const add = Band.insert({ name: param('name') }).prepare();
      const plain = (): unknown => Band.insert({ name: 'plain' }).runSync();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const transaction = engine.transaction(async () => {
        await Band.insert({ name: 'in transaction' });
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      let plainError: unknown;
      let preparedError: unknown;
      try {
        plain();
      } catch (error) {
        plainError = error;
      }
      try {
        add.runSync({ name: 'prepared' });
      } catch (error) {
        preparedError = error;
      }
      release();
      await transaction;
      expect((preparedError as { code?: unknown } | undefined)?.code).toBe((plainError as { code?: unknown } | undefined)?.code);
      expect(preparedError).toMatchObject({ code: PiccoErrorCode.TRANSACTION_CONFLICT });
    });

    it('runs concurrently with different values, each getting its own rows', async () => {
      const { Band } = await setup();
      const byId = Band.select(Band.name).where(Band.id.eq(param('id'))).first().prepare();
      const ids = Array.from({ length: 60 }, (_, index) => (index % 3) + 1);
      const names = await Promise.all(ids.map((id) => byId.run({ id })));
      expect(names.map((row) => row?.name)).toEqual(ids.map((id) => ['Pythonistas', 'Rustaceans', 'C-Sharps'][id - 1]));
    });

    // A prepared runSync() takes the engine's direct path (`statementRunner`): it must answer,
    // fail and roll back exactly as the ordinary query's runSync() does.
    it('a prepared mutation runSync() answers, fails and rolls back as the ordinary runSync() does', async () => {
      const { engine, Band } = await setup();
      const add = Band.insert({ name: param('name'), manager: param('manager') }).prepare();
      const prepared = add.runSync({ name: 'Prepared', manager: 1 });
      const plain = Band.insert({ name: 'Plain', manager: 1 }).runSync();
      expect(Object.keys(prepared).sort()).toEqual(Object.keys(plain).sort());
      expect(prepared).toEqual({ changes: 1, lastInsertRowid: 4 });
      expect(plain).toEqual({ changes: 1, lastInsertRowid: 5 });
      const rename = Band.update({ name: param('name') }).where(Band.id.eq(param('id'))).prepare();
      expect(rename.runSync({ name: 'Renamed', id: 4 }).changes).toBe(1);
      expect(rename.runSync({ name: 'Nobody', id: 99 }).changes).toBe(0);

      // SQLite's own refusal (a foreign key to no manager): QUERY_FAILED naming the statement.
      const failure = (run: () => unknown): unknown => {
        try {
          run();
        } catch (error) {
          return error;
        }
        throw new Error('expected the run to fail');
      };
      const preparedError = failure(() => add.runSync({ name: 'Orphan', manager: 99 }));
      const plainError = failure(() => Band.insert({ name: 'Orphan', manager: 99 }).runSync());
      expect(preparedError).toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, sqliteCode: (plainError as { sqliteCode: unknown }).sqliteCode, sql: (plainError as { sql: unknown }).sql });

      // Inside a synchronous transaction that throws: rolled back with everything else.
      expect(() =>
        engine.transactionSync(() => {
          add.runSync({ name: 'Rolled back', manager: null });
          rename.runSync({ name: 'Also rolled back', id: 1 });
          throw new Error('abort');
        }),
      ).toThrow('abort');
      expect(Band.select(Band.name).orderBy(Band.id).runSync().map((row) => row.name)).toEqual(['Pythonistas', 'Rustaceans', 'C-Sharps', 'Renamed', 'Plain']);

      await engine.close();
      expect(() => add.runSync({ name: 'Late', manager: null })).toThrow(expect.objectContaining({ code: PiccoErrorCode.ENGINE_CLOSED }));
      expect(() => rename.runSync({ name: 'Late', id: 1 })).toThrow(expect.objectContaining({ code: PiccoErrorCode.ENGINE_CLOSED }));
    });

    it('is refused with ENGINE_CLOSED once the engine is closed', async () => {
      const { engine, Band } = await setup();
      const byId = Band.select().where(Band.id.eq(param('id'))).prepare();
      await engine.close();
      await expect(byId.run({ id: 1 })).rejects.toMatchObject({ code: PiccoErrorCode.ENGINE_CLOSED });
      expect(() => byId.runSync({ id: 1 })).toThrow(expect.objectContaining({ code: PiccoErrorCode.ENGINE_CLOSED }));
    });
  });
}
