/**
 * compiler/shape-cache.ts: queries of one shape get back the very same SQL string object (so the
 * runtime's statement lookup is cheap), with their own values; different shapes never share.
 */
import { describe, expect, it } from 'vitest';
import { and, or, type CompiledQuery, type Query } from '@picco/core';
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
