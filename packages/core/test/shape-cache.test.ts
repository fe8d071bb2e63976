/**
 * compiler/shape-cache.ts: queries of one shape get back the very same SQL string object (so the
 * runtime's statement lookup is cheap), with their own values; different shapes never share.
 */
import { describe, expect, it } from 'vitest';
import { and, count, or, type CompiledQuery, type Query } from '@picco/core';
import { Band } from './schema.js';

type Build = (value: number) => Query<unknown>;

const shapes: { name: string; build: Build }[] = [
  { name: 'point select', build: (id) => Band.select().where(Band.id.eq(id)).first() },
  { name: 'narrowed select with order and limit', build: (id) => Band.select(Band.name).where(Band.popularity.gt(id)).orderBy(Band.name, 'desc').limit(10) },
  { name: 'in-list of two', build: (id) => Band.select(Band.id).where(Band.id.in([id, id + 1])) },
  { name: 'and/or tree', build: (id) => Band.count().where(or(and(Band.id.gt(id), Band.active.eq(true)), Band.name.like(`%${id}%`))) },
  { name: 'update by id', build: (id) => Band.update({ popularity: id }).where(Band.id.eq(id)) },
  { name: 'delete by id', build: (id) => Band.delete().where(Band.id.eq(id)) },
  { name: 'single-row insert', build: (id) => Band.insert({ name: `band ${id}`, popularity: id }) },
];

describe('one shape, one SQL string', () => {
  it.each(shapes)('$name: the same string object, each query with its own values', ({ build }) => {
    const first = build(1).toSQL();
    const second = build(2).toSQL();
    expect(second.sql).toBe(first.sql);
    // Identity, not only equality: that is what spares the statement cache a re-hash.
    expect(Object.is(second.sql, first.sql)).toBe(true);
    expect(second.params).not.toEqual(first.params);
    expect(build(2).toSQL().params).toEqual(second.params);
  });
});

describe('different shapes never share', () => {
  const variants: { name: string; query: () => CompiledQuery }[] = [
    { name: 'eq', query: () => Band.select().where(Band.id.eq(1)).toSQL() },
    { name: 'gt', query: () => Band.select().where(Band.id.gt(1)).toSQL() },
    { name: 'eq on another column', query: () => Band.select().where(Band.popularity.eq(1)).toSQL() },
    { name: 'in of one', query: () => Band.select().where(Band.id.in([1])).toSQL() },
    { name: 'in of three', query: () => Band.select().where(Band.id.in([1, 2, 3])).toSQL() },
    { name: 'limit 1', query: () => Band.select().where(Band.id.eq(1)).limit(1).toSQL() },
    { name: 'limit 2', query: () => Band.select().where(Band.id.eq(1)).limit(2).toSQL() },
    { name: 'first', query: () => Band.select().where(Band.id.eq(1)).first().toSQL() },
    { name: 'eq(null)', query: () => Band.select().where(Band.manager.eq(null)).toSQL() },
    { name: 'count', query: () => Band.count().where(Band.id.eq(1)).toSQL() },
    { name: 'exists', query: () => Band.exists().where(Band.id.eq(1)).toSQL() },
  ];

  it('gives each shape its own text and mode', () => {
    const compiled = variants.map(({ name, query }) => ({ name, key: `${query().sql} [${query().mode}]` }));
    expect(new Set(compiled.map((entry) => entry.key)).size).toBe(variants.length);
  });

  it.each(variants)('$name compiles the same before and after other shapes were cached', ({ query }) => {
    const before = query();
    for (const other of variants) other.query();
    expect(query()).toEqual(before);
  });
});

/**
 * A select whose values are all in its WHERE walks its frame (selection, grouping, order) first
 * and a loop of one shape jumps over it (shape-cache.ts `skipFrame`). Frames that hold values are
 * walked in text order instead. Whatever order queries come in (long runs of one shape, which
 * make a jump; alternation, which replaces it), every query must get its own shape's text and its
 * own values in placeholder order.
 */
describe('selects jump over a frame they share, and only then', () => {
  const rising = Band.popularity.plus(1);
  const frames: { name: string; build: (value: number) => Query<unknown>; sql: string; params: (value: number) => unknown[] }[] = [
    {
      name: 'every column, by id',
      build: (v) => Band.select().where(Band.id.eq(v)).first(),
      sql: 'SELECT "id", "name", "popularity", "active", "manager" FROM "band" WHERE "id" = ? LIMIT 1',
      params: (v) => [v],
    },
    {
      name: 'every column, ordered (same selection, another order)',
      build: (v) => Band.select().where(Band.id.eq(v)).orderBy(Band.name, 'desc'),
      sql: 'SELECT "id", "name", "popularity", "active", "manager" FROM "band" WHERE "id" = ? ORDER BY "name" DESC',
      params: (v) => [v],
    },
    {
      name: 'distinct names',
      build: (v) => Band.select(Band.name).where(Band.popularity.gt(v)).distinct(),
      sql: 'SELECT DISTINCT "name" FROM "band" WHERE "popularity" > ?',
      params: (v) => [v],
    },
    {
      name: 'grouped, limited',
      build: (v) => Band.select(Band.active, count().as('n')).where(Band.id.gt(v)).groupBy(Band.active).limit(3),
      sql: 'SELECT "active", COUNT(*) AS "n" FROM "band" WHERE "id" > ? GROUP BY "active" LIMIT 3',
      params: (v) => [v],
    },
    {
      name: 'grouped, no where',
      build: () => Band.select(Band.active, count().as('n')).groupBy(Band.active),
      sql: 'SELECT "active", COUNT(*) AS "n" FROM "band" GROUP BY "active"',
      params: () => [],
    },
    {
      name: 'a value in the selection (walked in order)',
      build: (v) => Band.select(Band.popularity.plus(v).as('next')).where(Band.id.lt(v + 1)),
      sql: 'SELECT ("popularity" + ?) AS "next" FROM "band" WHERE "id" < ?',
      // An integer column's arithmetic operand is sent as a bigint (as everywhere else).
      params: (v) => [BigInt(v), v + 1],
    },
    {
      name: 'a value in HAVING (walked in order)',
      build: (v) => Band.select(Band.active, count().as('n')).where(Band.id.gt(v)).groupBy(Band.active).having(count().gt(v + 2)),
      sql: 'SELECT "active", COUNT(*) AS "n" FROM "band" WHERE "id" > ? GROUP BY "active" HAVING COUNT(*) > ?',
      params: (v) => [v, v + 2],
    },
    {
      name: 'a value in ORDER BY (walked in order)',
      build: (v) => Band.select(Band.name).where(Band.id.gt(v)).orderBy(rising.plus(v + 3)),
      sql: 'SELECT "name" FROM "band" WHERE "id" > ? ORDER BY (("popularity" + ?) + ?) ASC',
      params: (v) => [v, 1n, BigInt(v + 3)],
    },
  ];

  const check = (frame: (typeof frames)[number], value: number): void => {
    const compiled = frame.build(value).toSQL();
    expect(compiled.sql, frame.name).toBe(frame.sql);
    expect(compiled.params, frame.name).toEqual(frame.params(value));
  };

  it('each frame compiles as written, first alone', () => {
    for (const frame of frames) check(frame, 7);
  });

  it('long runs of one frame, then the next (the jump is made, then replaced)', () => {
    let value = 0;
    for (const frame of [...frames, ...frames]) for (let run = 0; run < 40; run++) check(frame, value++);
  });

  it('frames in alternation and in a scrambled order', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let index = 0; index < 2000; index++) check(frames[next() % frames.length]!, next() % 1000);
  });
});
