/**
 * caseWhen() on every engine (packages/runtime/test/behaviour.test.ts for SQLite,
 * packages/postgres/test/behaviour.test.ts for PostgreSQL): in select, where, orderBy, groupBy
 * and update, with values always parameters, decoded like their branches.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { caseWhen, count, defineTable, integer, isPiccoError, numeric, param, PiccoErrorCode, serial, timestamp, varchar } from '@picco/core';
import { dialectOf, placeholders, type EngineUnderTest, type TestEngine } from './engines.js';

function schema(db: TestEngine) {
  return defineTable(
    'case_band',
    { id: serial(), name: varchar({ length: 50 }), popularity: integer(), label: varchar({ length: 20 }).nullable(), fee: numeric({ digits: [6, 2] }).nullable(), seen: timestamp().nullable() },
    { db },
  );
}

export function runExpressionsSuite(engines: readonly EngineUnderTest[]): void {
  describe.each(engines)('caseWhen() ($name)', (config) => {
    let engine: TestEngine;
    let cleanup: () => Promise<void>;
    let Band: ReturnType<typeof schema>;

    beforeAll(async () => {
      ({ engine, cleanup } = await config.create());
      Band = schema(engine);
      await Band.createTable();
    });
    afterAll(async () => cleanup());
    beforeEach(async () => {
      await Band.delete({ force: true });
      await Band.insert([
        { name: 'Pythonistas', popularity: 1000, fee: '12.50' },
        { name: 'Rustaceans', popularity: 500 },
        { name: 'CSharps', popularity: 10 },
      ]);
    });

    const tier = () => caseWhen(Band.popularity.gte(1000), 'popular').when(Band.popularity.gte(100), 'known').else('new');

    it('selects, with values as parameters, under the key "case" or an alias', async () => {
      const query = Band.select(Band.name, tier().as('tier')).orderBy(Band.id);
      expect(query.toSQL()).toMatchObject({
        // PostgreSQL gives each bare parameter of a CASE the CASE's type (else it would be text).
      sql: placeholders(engine, 'SELECT "name", CASE WHEN "popularity" >= ? THEN ? WHEN "popularity" >= ? THEN ? ELSE ? END AS "tier" FROM "case_band" ORDER BY "id" ASC').replace(
        / (THEN|ELSE) (\$\d+)/g,
        (_, word: string, parameter: string) => ` ${word} ${dialectOf(engine) === 'postgres' ? `CAST(${parameter} AS text)` : parameter}`,
      ),
        params: [1000, 'popular', 100, 'known', 'new'],
      });
      expect(await query).toEqual([
        { name: 'Pythonistas', tier: 'popular' },
        { name: 'Rustaceans', tier: 'known' },
        { name: 'CSharps', tier: 'new' },
      ]);
      expect(await Band.select(caseWhen(Band.popularity.gt(999), 1)).orderBy(Band.id)).toEqual([{ case: 1 }, { case: null }, { case: null }]);
    });

    it('in where, orderBy and groupBy', async () => {
      expect(await Band.select(Band.name).where(tier().eq('known'))).toEqual([{ name: 'Rustaceans' }]);
      // A custom order: new bands first, then the rest by name.
      const order = caseWhen(Band.popularity.lt(100), 0).else(1);
      expect(await Band.select(Band.name).orderBy(order).orderBy(Band.name)).toEqual([{ name: 'CSharps' }, { name: 'Pythonistas' }, { name: 'Rustaceans' }]);
      expect(await Band.select(tier().as('tier'), count()).groupBy(tier()).orderBy(tier())).toEqual([
        { tier: 'known', count: 1 },
        { tier: 'new', count: 1 },
        { tier: 'popular', count: 1 },
      ]);
    });

    it('in update, with a column as a branch', async () => {
      await Band.update({ label: tier() }, { force: true });
      await Band.update({ popularity: caseWhen(Band.name.eq('CSharps'), Band.popularity.plus(5)).else(Band.popularity) }, { force: true });
      expect(await Band.select(Band.label, Band.popularity).orderBy(Band.id)).toEqual([
        { label: 'popular', popularity: 1000 },
        { label: 'known', popularity: 500 },
        { label: 'new', popularity: 15 },
      ]);
    });

    it('decodes like its branches: booleans, Dates and exact decimals', async () => {
      const at = new Date('2024-05-01T12:00:00.000Z');
      expect(await Band.select(caseWhen(Band.popularity.gt(100), true).else(false).as('big')).orderBy(Band.id)).toEqual([{ big: true }, { big: true }, { big: false }]);
      expect(await Band.select(caseWhen(Band.name.eq('Pythonistas'), at).as('at')).orderBy(Band.id).first()).toEqual({ at });
      // A plain value next to a numeric column is encoded like the column (12.50 is stored as 1250).
      expect(await Band.select(caseWhen(Band.fee.isNotNull(), Band.fee).else('0.00').as('fee')).orderBy(Band.id)).toEqual([{ fee: '12.50' }, { fee: '0.00' }, { fee: '0.00' }]);
      expect(await Band.select(caseWhen(Band.fee.isNull(), '7.25').else(Band.fee).as('fee')).orderBy(Band.id)).toEqual([{ fee: '12.50' }, { fee: '7.25' }, { fee: '7.25' }]);
    });

    it('refuses branches that cannot be read back alike, and bad input, with INVALID_QUERY', () => {
      const refused = (action: () => unknown, pattern: RegExp) => {
        let error: unknown;
        try {
          action();
        } catch (caught) {
          error = caught;
        }
        expect(isPiccoError(error, PiccoErrorCode.INVALID_QUERY), String(error)).toBe(true);
        expect((error as Error).message).toMatch(pattern);
      };
      refused(() => caseWhen(Band.id.eq(1), true).else('no'), /a boolean and a text/);
      refused(() => caseWhen(Band.id.eq(1), Band.seen).else(1 as never), /expects a valid Date/);
      refused(() => caseWhen(Band.id.eq(1), Band.fee).else('abc' as never), /numeric|decimal/i);
      refused(() => caseWhen('yes' as never, 1), /Expected a condition/);
      refused(() => caseWhen(Band.id.eq(1), undefined as never), /got undefined/);
      refused(() => caseWhen(Band.id.eq(1), 1).else(undefined as never), /Leave else\(\) out/);
      refused(() => caseWhen(Band.id.eq(1), {} as never), /not an SQL value|as a value/);
      refused(() => caseWhen(Band.id.eq(param('id')), 'x'), /param\(\)/);
      refused(() => caseWhen(Band.id.eq(1), param('x') as never), /param\(\)/);
      refused(() => caseWhen(Band.id.eq(1), 'x').else(param('x') as never), /param\(\)/);
    });
  });
}
