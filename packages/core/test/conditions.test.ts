/**
 * Conditions never do silently less or more than written (issue 8, items 8, 9, 13 and 15):
 * where() with several conditions, empty and()/or(), like(undefined), hand-made conditions,
 * in() with something other than a list, and conditions too deep for SQLite.
 */
import { describe, expect, it } from 'vitest';
import { Condition, PiccoErrorCode, compileQuery, type SelectNode } from '@picco/core';
import { catchPiccoError, expectMentions } from './helpers.js';
import { Band } from './schema.js';

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
