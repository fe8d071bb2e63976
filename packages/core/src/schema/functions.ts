/**
 * SQL functions and aggregates as expressions: `count()`, `sum(Band.popularity)`,
 * `lower(Band.name)`, `coalesce(Band.manager.name, 'none')`, `now()`, `random()`, the `sql`
 * tagged template, and `excluded(...)` for upserts. Each result key defaults to the function's
 * name (`avg`, `upper`), as in Piccolo; `.as('key')` renames it.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { AggregateName, ExpressionNode, FunctionName } from '../operation-node/nodes.js';
import type { ColumnSpec } from './column-builder.js';
import { Column } from './column.js';
import { conditionOf, type Condition } from './condition.js';
import {
  Expression,
  INTEGER_SPEC,
  REAL_SPEC,
  TEXT_SPEC,
  TIMESTAMP_SPEC,
  describe,
  encodeLoose,
  isSubquery,
  specOf,
  valueNode,
  type SubqueryLike,
} from './expression.js';
import { encodedValue } from './values.js';

type AnyExpr<V = any, T extends string = string> = Expression<V, boolean, string, T>;

// ---- aggregates

/** `COUNT(*)`, or `COUNT(expr)` (non-null values), or with `{ distinct: true }` `COUNT(DISTINCT expr)`. */
export function count(): Expression<number, false, 'count', never>;
export function count<T extends string>(expression: AnyExpr<unknown, T>, options?: { distinct?: boolean }): Expression<number, false, 'count', T>;
export function count(expression?: AnyExpr, options: { distinct?: boolean } = {}): Expression<number, false, 'count', string> {
  if (expression === undefined && options.distinct === true) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `count({ distinct: true }) needs an expression: count(Band.name, { distinct: true }).`);
  }
  return aggregate('COUNT', expression, options.distinct === true, INTEGER_SPEC, 'count');
}

/** `SUM(expr)`: `null` when no rows match; exact for numeric columns. */
export function sum<V extends number | bigint | `${number}`, T extends string>(expression: AnyExpr<V, T>, options: { distinct?: boolean } = {}): Expression<V, true, 'sum', T> {
  return aggregate('SUM', requireExpression(expression, 'sum'), options.distinct === true, specOf(expression.node) ?? REAL_SPEC, 'sum');
}

/** `AVG(expr)` as a number (for a numeric column, a decimal string rounded to its scale): `null` when no rows match. */
export function avg<T extends string>(expression: AnyExpr<`${number}`, T>, options?: { distinct?: boolean }): Expression<`${number}`, true, 'avg', T>;
export function avg<T extends string>(expression: AnyExpr<number | bigint, T>, options?: { distinct?: boolean }): Expression<number, true, 'avg', T>;
export function avg(expression: AnyExpr, options: { distinct?: boolean } = {}): Expression<unknown, true, 'avg', string> {
  const spec = specOf(requireExpression(expression, 'avg').node);
  return aggregate('AVG', expression, options.distinct === true, spec?.type === 'numeric' ? spec : REAL_SPEC, 'avg');
}

/** `MIN(expr)`, decoded like the expression (a Date for timestamps): `null` when no rows match. */
export function min<V, T extends string>(expression: AnyExpr<V, T>): Expression<V, true, 'min', T> {
  return aggregate('MIN', requireExpression(expression, 'min'), false, specOf(expression.node), 'min');
}

export function max<V, T extends string>(expression: AnyExpr<V, T>): Expression<V, true, 'max', T> {
  return aggregate('MAX', requireExpression(expression, 'max'), false, specOf(expression.node), 'max');
}

function aggregate<R extends Expression<any, boolean, string, string>>(
  name: AggregateName,
  expression: AnyExpr | undefined,
  distinct: boolean,
  spec: ColumnSpec | undefined,
  key: string,
): R {
  const arg = expression === undefined ? undefined : requireExpression(expression, name.toLowerCase()).node;
  return new Expression({ kind: 'aggregate', name, arg, distinct, spec }, key) as R;
}

// ---- scalar functions

export function lower<N extends boolean, T extends string>(expression: Expression<string, N, string, T>): Expression<string, N, 'lower', T> {
  return call('LOWER', [requireExpression(expression, 'lower').node], TEXT_SPEC, 'lower');
}

export function upper<N extends boolean, T extends string>(expression: Expression<string, N, string, T>): Expression<string, N, 'upper', T> {
  return call('UPPER', [requireExpression(expression, 'upper').node], TEXT_SPEC, 'upper');
}

/** Characters in a string (SQLite's `length`). */
export function length<N extends boolean, T extends string>(expression: Expression<string, N, string, T>): Expression<number, N, 'length', T> {
  return call('LENGTH', [requireExpression(expression, 'length').node], INTEGER_SPEC, 'length');
}

export function abs<V extends number | bigint, N extends boolean, T extends string>(expression: Expression<V, N, string, T>): Expression<V, N, 'abs', T> {
  return call('ABS', [requireExpression(expression, 'abs').node], specOf(expression.node), 'abs');
}

/** Rounds to `digits` decimal places (0 by default), as a number. */
export function round<N extends boolean, T extends string>(expression: Expression<number | bigint, N, string, T>, digits = 0): Expression<number, N, 'round', T> {
  if (!Number.isSafeInteger(digits) || digits < 0) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `round() takes a whole number of decimal places, 0 or more; got ${describe(digits)}.`);
  }
  return call('ROUND', [requireExpression(expression, 'round').node, valueNode(digits)], REAL_SPEC, 'round');
}

/** The largest whole number not above the value (SQLite's math function `floor`). */
export function floor<N extends boolean, T extends string>(expression: Expression<number | bigint, N, string, T>): Expression<number, N, 'floor', T> {
  return call('FLOOR', [requireExpression(expression, 'floor').node], REAL_SPEC, 'floor');
}

/** The smallest whole number not below the value (SQLite's math function `ceil`). */
export function ceil<N extends boolean, T extends string>(expression: Expression<number | bigint, N, string, T>): Expression<number, N, 'ceil', T> {
  return call('CEIL', [requireExpression(expression, 'ceil').node], REAL_SPEC, 'ceil');
}

/**
 * The first non-null of its arguments. With a plain value last (`coalesce(Band.manager.name, 'none')`)
 * the result is never null.
 */
export function coalesce<V, T extends string>(expression: AnyExpr<V, T>, fallback: V): Expression<V, false, 'coalesce', T>;
export function coalesce<V, T extends string, U extends string = never>(expression: AnyExpr<V, T>, ...rest: (V | AnyExpr<V, U>)[]): Expression<V, boolean, 'coalesce', T | U>;
export function coalesce(expression: AnyExpr, ...rest: unknown[]): Expression<unknown, boolean, 'coalesce', string> {
  const first = requireExpression(expression, 'coalesce');
  if (rest.length === 0) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `coalesce() needs a fallback: coalesce(Band.manager.name, 'none').`);
  const spec = specOf(first.node);
  const args = [first.node, ...rest.map((value) => (value instanceof Expression ? value.node : spec === undefined ? valueNode(encodeLoose(value, 'coalesce()')) : encodedValue(spec, 'coalesce()', value)))];
  return call('COALESCE', args, spec, 'coalesce');
}

/** The current time, in the ISO-8601 form timestamp columns store (compares and sorts with them). */
export function now(): Expression<Date, false, 'now', never> {
  return call('NOW', [], TIMESTAMP_SPEC, 'now');
}

/** A random 64-bit integer per row: `orderBy(random())` shuffles. */
export function random(): Expression<number, false, 'random', never> {
  return call('RANDOM', [], INTEGER_SPEC, 'random');
}

function call<R extends Expression<any, boolean, string, string>>(name: FunctionName, args: readonly ExpressionNode[], spec: ColumnSpec | undefined, key: string): R {
  return new Expression({ kind: 'function', name, args, spec }, key) as R;
}

function requireExpression<E extends AnyExpr>(expression: E, name: string): E {
  if (!(expression instanceof Expression)) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${name}() takes a column or expression, for example ${name}(Band.popularity); got ${describe(expression)}.`);
  }
  return expression;
}

// ---- subqueries

/** `EXISTS (subquery)`: `where(exists(Concert.select(Concert.id).where(...)))`. */
export function exists(query: SubqueryLike): Condition {
  return conditionOf({ kind: 'exists', negated: false, query: requireSubquery(query, 'exists').node });
}

export function notExists(query: SubqueryLike): Condition {
  return conditionOf({ kind: 'exists', negated: true, query: requireSubquery(query, 'notExists').node });
}

function requireSubquery(query: SubqueryLike, name: string): SubqueryLike {
  if (!isSubquery(query)) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${name}() takes a select query, for example ${name}(Concert.select(Concert.id)); got ${describe(query)}.`);
  }
  return query;
}

// ---- upserts

/**
 * The value an insert proposed for `column`, in `onConflict({ action: 'doUpdate', set })`:
 * `set: { popularity: excluded(Band.popularity) }` (SQLite's `excluded."popularity"`).
 */
export function excluded<V, N extends boolean, K extends string, T extends string>(column: Column<V, N, K, T>): Expression<V, N, K, T> {
  if (!(column instanceof Column) || column.node.kind !== 'column') {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `excluded() takes a column of the table being inserted into, for example excluded(Band.popularity).`);
  }
  return new Expression({ kind: 'excluded', column: column.node }, column.key);
}

// ---- raw SQL

/**
 * A raw SQL fragment for `where()`, `select()` and `orderBy()`, with values always sent as
 * parameters and columns written as quoted identifiers:
 * `` sql`instr(${Band.name}, ${needle}) > 0` ``. Only the literal parts of the template become
 * SQL text; no value is ever spliced into it.
 */
export function sql<V = unknown>(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment<V> {
  if (!Array.isArray(strings) || !Array.isArray((strings as { raw?: unknown }).raw)) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, 'sql is a tagged template: write sql`...${value}...`, not sql(...).');
  }
  const args = values.map((value): ExpressionNode => {
    if (value instanceof Expression) return value.node;
    if (isSubquery(value)) return { kind: 'subquery', query: value.node };
    if (Array.isArray(value)) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, 'sql`...` got an array: write each value as its own ${...}, or use Column.in([...]).');
    }
    return valueNode(encodeLoose(value, 'sql`...`'));
  });
  return new SqlFragment({ kind: 'raw', strings, args }, '' as never);
}

/** What `sql` returns: an expression that `where()` also takes as a condition. */
export class SqlFragment<V = unknown> extends Expression<V, boolean, never, never> {
  declare readonly _sqlFragment: true;
}
