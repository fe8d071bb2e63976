/**
 * Conditions never do silently less or more than written (issue 8, items 8, 9, 13 and 15):
 * where() with several conditions, empty and()/or(), like(undefined), hand-made conditions,
 * in() with something other than a list, and conditions too deep for SQLite.
 */
import { describe, expect, it } from 'vitest';
import { Condition, MAX_CONDITION_HEIGHT, PiccoError, PiccoErrorCode, and, compileQuery, not, or, type ConditionNode, type SelectNode } from '@picco/core';
import { catchPiccoError, expectMentions } from './helpers.js';
import { Band, Everything } from './schema.js';

describe('the Condition constructor is not public API (item 13)', () => {
  const name = Band.name.node;

  it('new Condition() with a raw operator is refused', () => {
    const forge = () => new (Condition as unknown as new (node: unknown) => Condition)({ kind: 'comparison', operator: '= 1 OR 1 =', column: name, value: { kind: 'value', value: 1 } });
    const error = catchPiccoError(forge, PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['new Condition()', 'not part of', "Band.name.eq('x')", 'and()']);
  });

  it('a look-alike proof symbol does not open it', () => {
    const forge = () =>
      new (Condition as unknown as new (node: unknown, proof: symbol) => Condition)(
        { kind: 'comparison', operator: 'LIKE', column: name, value: { kind: 'value', value: 'x' } },
        Symbol('picco.condition'),
      );
    catchPiccoError(forge, PiccoErrorCode.INVALID_QUERY);
  });

  it('an object made from Condition.prototype passes instanceof, but its operator is still checked', () => {
    const forged = Object.assign(Object.create(Condition.prototype) as Condition, {
      node: { kind: 'comparison', operator: 'IS NOT', column: name, value: { kind: 'value', value: 1 } },
    });
    const error = catchPiccoError(() => Band.select().where(forged).toSQL(), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['comparison operator "IS NOT"']);
  });

  it('conditions built by columns are still Conditions', () => {
    expect(Band.name.eq('x')).toBeInstanceOf(Condition);
  });

  it('compileQuery refuses a hand-made node with an operator outside the closed set', () => {
    const node: SelectNode = {
      ...Band.select().node,
      where: { kind: 'comparison', operator: '= 0; DROP TABLE band; --' as never, column: name, value: { kind: 'value', value: 1 } },
    };
    const error = catchPiccoError(() => compileQuery(node), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['comparison operator', 'DROP TABLE', 'not one Picco makes']);
  });

  it('compileQuery refuses a hand-made node of an unknown kind', () => {
    const node: SelectNode = { ...Band.select().node, where: { kind: 'raw', sql: '1 = 1' } as never };
    const error = catchPiccoError(() => compileQuery(node), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['condition kind "raw"']);
  });
});

describe('like() takes a pattern string (item 13)', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 5],
  ])('like(%s) is refused like eq(undefined)', (_label, pattern) => {
    const error = catchPiccoError(() => Band.name.like(pattern as never), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['like()', '"band.name"', 'pattern string', 'isNull()']);
  });

  it('like() with a string still works', () => {
    expect(Band.select().where(Band.name.like('P%')).toSQL()).toMatchObject({ sql: expect.stringContaining('WHERE "name" LIKE ?'), params: ['P%'] });
  });
});

describe('where() with several conditions joins them with AND (item 8)', () => {
  it('delete().where(a, b) keeps both conditions', () => {
    const query = Band.delete().where(Band.active.eq(false), Band.popularity.lt(10));
    expect(query.toSQL()).toMatchObject({ sql: 'DELETE FROM "band" WHERE ("active" = ?) AND ("popularity" < ?)', params: [0, 10] });
  });

  it('is the same SQL as where(and(a, b)), on every query with where()', () => {
    const a = Band.name.eq('x');
    const b = Band.id.gt(3);
    const c = Band.manager.isNull();
    const pairs = [
      [Band.select().where(a, b, c), Band.select().where(and(a, b, c))],
      [Band.count().where(a, b), Band.count().where(and(a, b))],
      [Band.exists().where(a, b), Band.exists().where(and(a, b))],
      [Band.update({ popularity: 1 }).where(a, b), Band.update({ popularity: 1 }).where(and(a, b))],
      [Band.delete().where(a, b), Band.delete().where(and(a, b))],
    ] as const;
    for (const [variadic, combined] of pairs) expect(variadic.toSQL()).toEqual(combined.toSQL());
  });

  it('where(a, b) then where(c) ANDs all three', () => {
    expect(Band.select(Band.id).where(Band.name.eq('x'), Band.id.gt(3)).where(Band.active.eq(true)).toSQL()).toMatchObject({
      sql: 'SELECT "id" FROM "band" WHERE (("name" = ?) AND ("id" > ?)) AND ("active" = ?)',
      params: ['x', 3, 1],
    });
  });

  it('checks every condition: a column of another table in the second place is refused', () => {
    const error = catchPiccoError(() => Band.select().where(Band.id.eq(1), Everything.id.eq(2)), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['where()', 'of another table']);
  });

  it('where() with no condition is refused, not read as "every row"', () => {
    const error = catchPiccoError(() => Band.delete().where(), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['delete().where()', '"band"', 'no condition', 'band.id.eq(1)']);
  });
});

describe('and() / or() with no conditions are refused (item 9)', () => {
  it.each([
    ['and', () => and(), 'every row'],
    ['or', () => or(), 'no row'],
  ] as const)('%s()', (name, build, meaning) => {
    const error = catchPiccoError(build, PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, [`${name}() got no conditions`, meaning, 'empty list']);
  });

  it('delete().where(and(...filters)) with an empty list never reaches a DELETE', () => {
    const filters: Condition[] = [];
    catchPiccoError(() => Band.delete().where(and(...filters)), PiccoErrorCode.INVALID_QUERY);
  });
});

describe('in() / notIn() take a list (item 15)', () => {
  it.each([
    ['in(5)', () => Band.id.in(5 as never), 'got number'],
    ['in(null)', () => Band.id.in(null as never), 'got null'],
    ["in('abc')", () => Band.name.in('abc' as never), 'the string "abc"'],
    ['notIn(undefined)', () => Band.id.notIn(undefined as never), 'got undefined'],
    ['notIn({})', () => Band.id.notIn({} as never), 'got object'],
  ])('%s is refused', (_label, build, got) => {
    const error = catchPiccoError(build, PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['"band.', 'array (or a set) of values', got]);
  });

  it('a Set works like an array, an empty one too', () => {
    expect(Band.select().where(Band.id.in(new Set([1, 2]))).toSQL()).toEqual(Band.select().where(Band.id.in([1, 2])).toSQL());
    expect(Band.select().where(Band.id.notIn(new Set())).toSQL()).toEqual(Band.select().where(Band.id.notIn([])).toSQL());
  });

  it('values in a Set are checked like values in an array', () => {
    const error = catchPiccoError(() => Band.id.in(new Set([1, 'two' as never])), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['"id"', 'expects an integer']);
  });
});

describe('conditions too deep for SQLite are refused at once, never a stack overflow (item 15)', () => {
  function expectTooDeep(build: () => unknown, call: string): void {
    let caught: unknown;
    try {
      build();
    } catch (error) {
      caught = error;
    }
    expect(caught, 'a PiccoError, not a RangeError').toBeInstanceOf(PiccoError);
    expect((caught as PiccoError).code).toBe(PiccoErrorCode.INVALID_QUERY);
    expectMentions((caught as PiccoError).message, [call, `levels deep`, `at most ${MAX_CONDITION_HEIGHT}`, 'SQLITE_MAX_EXPR_DEPTH', 'in([...])']);
  }

  it('not() nested 1,100 deep', () => {
    expectTooDeep(() => {
      let condition = Band.id.eq(1);
      for (let depth = 0; depth < 1100; depth++) condition = not(condition);
      return Band.select().where(condition).toSQL();
    }, 'not()');
  });

  it('and() nested 1,100 deep', () => {
    expectTooDeep(() => {
      let condition = Band.id.eq(0);
      for (let depth = 1; depth <= 1100; depth++) condition = and(condition, Band.id.eq(depth));
      return Band.select().where(condition).toSQL();
    }, 'and()');
  });

  it('one or() of 5,000 conditions', () => {
    expectTooDeep(() => or(...Array.from({ length: 5000 }, (_, index) => Band.id.eq(index))), 'or()');
  });

  it('.where() chained 20,000 times', () => {
    expectTooDeep(() => {
      let query = Band.select();
      for (let index = 0; index < 20_000; index++) query = query.where(Band.id.ne(index));
      return query.toSQL();
    }, 'where()');
  });

  it('compileQuery of a hand-made node tree 200,000 levels deep refuses it with a PiccoError', () => {
    let where: ConditionNode = Band.id.eq(1).node;
    for (let depth = 0; depth < 200_000; depth++) where = { kind: 'not', condition: where };
    const error = catchPiccoError(() => compileQuery({ ...Band.select().node, where }), PiccoErrorCode.INVALID_QUERY);
    expectMentions(error.message, ['nested too deeply', `at most ${MAX_CONDITION_HEIGHT}`]);
  });

  it('the deepest accepted conditions compile (SQLite runs them: runtime test core-on-sqlite)', () => {
    let nested = Band.id.eq(1);
    for (let depth = 2; depth < MAX_CONDITION_HEIGHT; depth++) nested = not(nested);
    expect(Band.select().where(nested).toSQL().sql).toContain('NOT (NOT (');
    expect(() => not(nested)).toThrow(PiccoError);

    let chained = Band.delete();
    for (let index = 1; index < MAX_CONDITION_HEIGHT; index++) chained = chained.where(Band.id.ne(index));
    expect(chained.toSQL().params).toHaveLength(MAX_CONDITION_HEIGHT - 1);
    expect(() => chained.where(Band.id.ne(0))).toThrow(PiccoError);
  });
});
