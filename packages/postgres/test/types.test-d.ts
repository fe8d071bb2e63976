/**
 * Type tests (checked by tsc, never run): PostgresEngine is an Engine, its raw queries and
 * transactions carry their result types, tables defined on it carry it, and its options are
 * checked by the compiler too.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { defineTable, serial, text, type Engine, type RawQuery } from '@picco/core';
import { PostgresEngine, type PostgresEngineOptions } from '@picco/postgres';

declare const env: { DATABASE_URL?: string };
const DB = new PostgresEngine({ connectionString: env.DATABASE_URL, max: 10 });

describe('PostgresEngine', () => {
  it('is an Engine that tables and queries carry', () => {
    expectTypeOf(DB).toExtend<Engine>();
    const Band = defineTable('band', { id: serial(), name: text() }, { db: DB });
    expectTypeOf(Band.select().engine).toEqualTypeOf<PostgresEngine>();
    expectTypeOf(DB.dialect).toEqualTypeOf<'postgres'>();
  });

  it('types raw rows, transactions and close()', () => {
    expectTypeOf(DB.raw<{ n: number }>('SELECT $1::int AS n', [1])).toEqualTypeOf<RawQuery<{ n: number }, PostgresEngine>>();
    expectTypeOf(DB.raw<{ n: number }>('SELECT 1 AS n').run()).toEqualTypeOf<Promise<{ n: number }[]>>();
    expectTypeOf(DB.raw('SELECT 1').run()).toEqualTypeOf<Promise<Record<string, unknown>[]>>();
    expectTypeOf(DB.transaction(async () => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(DB.transaction(() => DB.raw<{ id: number }>('INSERT INTO t DEFAULT VALUES RETURNING id'))).toEqualTypeOf<Promise<{ id: number }[]>>();
    expectTypeOf(DB.close()).toEqualTypeOf<Promise<void>>();
  });

  it('checks its options', () => {
    expectTypeOf<PostgresEngineOptions>().toEqualTypeOf<{ connectionString?: string | undefined; max?: number; connectionTimeoutMs?: number; preparedStatements?: boolean }>();
    new PostgresEngine();
    // @ts-expect-error an unknown option
    new PostgresEngine({ url: 'postgresql://localhost/app' });
    // @ts-expect-error max is a number
    new PostgresEngine({ max: '10' });
    // @ts-expect-error parameters are SQL values
    DB.raw('SELECT $1', [{ not: 'a value' }]);
  });
});
