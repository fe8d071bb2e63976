/**
 * Named prepared statements for hot shapes: a table query's shape gets a name on its second use
 * and is then parsed once per connection (the server's pg_prepared_statements shows it); raw SQL
 * and one-off shapes stay unnamed; `preparedStatements: false` names nothing; and a plan the
 * server can no longer use (a column's type changed) is prepared again rather than failing for good.
 */
import { expect, it } from 'vitest';
import { PiccoErrorCode, defineTable, integer, serial, text } from '@picco/core';
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

  it('refuses a preparedStatements option that is not a boolean', async () => {
    await expect(freshEngine({ preparedStatements: 'yes' as never })).rejects.toMatchObject({ code: PiccoErrorCode.INVALID_OPTION, message: expect.stringContaining('"preparedStatements"') });
  });
});
