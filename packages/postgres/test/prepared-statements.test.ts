/**
 * Named prepared statements for hot shapes: a table query's shape gets a name on its second use
 * and is then parsed once per connection (the server's pg_prepared_statements shows it); raw SQL
 * and one-off shapes stay unnamed; `preparedStatements: false` names nothing; and a plan the
 * server can no longer use (a column's type changed) is prepared again rather than failing for good.
 */
import { expect, it } from 'vitest';
import { PiccoErrorCode, defineTable, integer, numeric, param, serial, text } from '@picco/core';
import { describeOnPostgres, freshEngine } from './server.js';

async function setup(options: { preparedStatements?: boolean } = {}) {
  // One connection: every query, and the look at pg_prepared_statements, on the same session.
  const { engine } = await freshEngine({ max: 1, ...options });
  const Band = defineTable('band', { id: serial(), name: text(), popularity: integer({ default: 0 }) }, { db: engine });
  await Band.createTable();
  await Band.insert([{ name: 'a', popularity: 1 }, { name: 'b', popularity: 2 }]);
  const prepared = async () =>
    (await engine.raw<{ name: string; statement: string }>('SELECT name, statement FROM pg_prepared_statements ORDER BY name')).map((row) => row.statement);
  return { engine, Band, prepared };
}

describeOnPostgres('named prepared statements', () => {
  it('names a table query shape from its second use, once, and keeps answering right', async () => {
    const { Band, prepared } = await setup();
    const byId = (id: number) => Band.select(Band.name).where(Band.id.eq(id)).first();
    expect(await byId(1)).toEqual({ name: 'a' });
    const sql = byId(1).toSQL().sql;
    expect(await prepared()).not.toContain(sql);
    expect(await byId(2)).toEqual({ name: 'b' });
    expect(await byId(1)).toEqual({ name: 'a' });
    expect((await prepared()).filter((statement) => statement === sql)).toHaveLength(1);
  });

  it('names no raw SQL, and nothing with preparedStatements: false', async () => {
    const { engine, Band, prepared } = await setup({ preparedStatements: false });
    for (let round = 0; round < 3; round++) {
      await Band.select(Band.name).where(Band.id.eq(1));
      await engine.raw('SELECT $1::int AS n', [round]);
    }
    expect(await prepared()).toEqual([]);
    const named = await setup();
    for (let round = 0; round < 3; round++) await named.engine.raw('SELECT $1::int AS n', [round]);
    expect(await named.prepared()).toEqual([]);
  });

  it('prepares a statement again when a column changed type under it (outside a transaction: retried at once)', async () => {
    const { engine, Band } = await setup();
    const popularity = () => Band.select(Band.popularity).where(Band.id.eq(1)).first();
    await popularity();
    await popularity(); // now named and prepared on the connection
    await engine.raw('ALTER TABLE band ALTER COLUMN popularity TYPE bigint');
    expect(await popularity()).toEqual({ popularity: 1 });
    // Inside a transaction the stale plan has aborted it: the error says so, and the next call works.
    await popularity();
    await popularity(); // named (anew) and prepared again
    await engine.raw('ALTER TABLE band ALTER COLUMN popularity TYPE integer');
    await expect(engine.transaction(() => popularity())).rejects.toMatchObject({ code: PiccoErrorCode.QUERY_FAILED, sqlState: '0A000' });
    expect(await engine.transaction(() => popularity())).toEqual({ popularity: 1 });
  });

  it("runs core's prepared queries (param()) in PostgreSQL's SQL, numeric values as decimals, on a named statement", async () => {
    const { engine, prepared } = await setup();
    const Price = defineTable('price', { id: serial(), amount: numeric({ digits: [8, 2] }), label: text().nullable() }, { db: engine });
    await Price.createTable();
    const add = Price.insert({ amount: param('amount'), label: param('label') }).returning(Price.id, Price.amount).prepare();
    expect(await add.run({ amount: '12.3', label: 'a' })).toEqual([{ id: 1, amount: '12.30' }]);
    expect(await add.run({ amount: '-0.05', label: null })).toEqual([{ id: 2, amount: '-0.05' }]);
    const cheaper = Price.select(Price.id, Price.amount).where(Price.amount.lt(param('below'))).orderBy(Price.id).prepare();
    expect(cheaper.toSQL({ below: '1' })).toMatchObject({ sql: 'SELECT "id", "amount" FROM "price" WHERE "amount" < $1 ORDER BY "id" ASC', params: ['1.00'] });
    expect(await cheaper.run({ below: '1' })).toEqual([{ id: 2, amount: '-0.05' }]);
    expect(await cheaper.run({ below: '100' })).toEqual([
      { id: 1, amount: '12.30' },
      { id: 2, amount: '-0.05' },
    ]);
    expect(await prepared()).toContain(cheaper.toSQL({ below: '1' }).sql);
  });

  it('refuses a preparedStatements option that is not a boolean', async () => {
    await expect(freshEngine({ preparedStatements: 'yes' as never })).rejects.toMatchObject({ code: PiccoErrorCode.INVALID_OPTION, message: expect.stringContaining('"preparedStatements"') });
  });
});
