/**
 * Type tests for prepared queries (checked by tsc, never run): the values a run takes are the
 * parameters the query uses, typed by the column each is compared with or assigned to.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { and, count, not, or, param, type NoParams, type PreparedQuery, type RunResult } from '@picco/core';
import { Band, DB } from './schema.js';

describe('prepared query parameters', () => {
  it('a condition makes its parameter a typed, required value', () => {
    const byId = Band.select().where(Band.id.eq(param('id'))).first().prepare();
    expectTypeOf(byId.runSync).parameters.toEqualTypeOf<[values: { id: number }]>();
    expectTypeOf(byId.runSync({ id: 1 })).toEqualTypeOf<{ id: number; name: string; popularity: number; active: boolean; manager: number | null } | undefined>();
    expectTypeOf(byId.run({ id: 1 })).resolves.toEqualTypeOf<{ id: number; name: string; popularity: number; active: boolean; manager: number | null } | undefined>();
    // @ts-expect-error missing parameter
    byId.runSync({});
    // @ts-expect-error no values at all
    byId.runSync();
    // @ts-expect-error wrong type
    byId.runSync({ id: '1' });
    // @ts-expect-error unknown parameter
    byId.runSync({ id: 1, idd: 2 });
  });

  it('collects parameters through and / or / not, several where() calls, between and joins', () => {
    const query = Band.select(Band.name, Band.manager.name)
      .where(or(Band.name.eq(param('name')), not(Band.popularity.gt(param('above')))))
      .where(and(Band.manager.name.eq(param('manager')), Band.popularity.between(param('low'), 100)))
      .prepare();
    expectTypeOf(query.runSync).parameters.toEqualTypeOf<[values: { name: string; above: number; manager: string; low: number }]>();
    // @ts-expect-error low is missing
    query.runSync({ name: 'a', above: 1, manager: 'b' });
  });

  it('the same name with two types takes no value', () => {
    const query = Band.select().where(Band.id.eq(param('x')), Band.name.eq(param('x'))).prepare();
    // @ts-expect-error x cannot be both a number and a string
    query.runSync({ x: 1 });
  });

  it('a query without parameters runs with no values', () => {
    const all = Band.count().prepare();
    expectTypeOf(all.runSync()).toEqualTypeOf<number>();
    expectTypeOf(all).toEqualTypeOf<PreparedQuery<number, NoParams, typeof DB>>();
    expectTypeOf(Band.select(count().as('n')).where(Band.id.gt(1)).first().prepare().runSync()).toEqualTypeOf<{ n: number } | undefined>();
  });

  it('insert and update values may be parameters, typed by their column', () => {
    const add = Band.insert({ name: param('name'), popularity: param('popularity'), manager: param('manager') }).prepare();
    expectTypeOf(add.runSync).parameters.toEqualTypeOf<[values: { name: string; popularity: number; manager: number | null }]>();
    expectTypeOf(add.runSync({ name: 'x', popularity: 1, manager: null })).toEqualTypeOf<RunResult>();
    const mixed = Band.insert({ name: param('name'), active: false }).returning(Band.id).prepare();
    expectTypeOf(mixed.runSync({ name: 'x' })).toEqualTypeOf<{ id: number }[]>();
    // @ts-expect-error name is required (as a value or a parameter)
    Band.insert({ popularity: param('popularity') });
    // @ts-expect-error unknown column
    Band.insert({ name: param('name'), nope: 1 });
    const set = Band.update({ popularity: param('popularity') }).where(Band.id.eq(param('id'))).prepare();
    expectTypeOf(set.runSync).parameters.toEqualTypeOf<[values: { popularity: number; id: number }]>();
    // @ts-expect-error wrong type for popularity
    set.runSync({ popularity: 'high', id: 1 });
    const remove = Band.delete().where(Band.name.eq(param('name'))).prepare();
    expectTypeOf(remove.run).parameters.toEqualTypeOf<[values: { name: string }]>();
  });
});
