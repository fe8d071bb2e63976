/**
 * SQL functions and aggregates as expressions: `count()`, `sum(Band.popularity)`,
 * `lower(Band.name)`, `coalesce(Band.manager.name, 'none')`, `now()`, `random()`, the `sql`
 * tagged template, and `excluded(...)` for upserts. Each result key defaults to the function's
 * name (`avg`, `upper`, `year`), as in Piccolo; the functions that give the same value in another
 * form (`coalesce`, `nullIf`, `cast`) keep their expression's key (`popularity`), as Piccolo's
 * do. `.as('key')` renames any of them.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { AggregateName, CastType, DatePart, ExpressionNode, FunctionName } from '../operation-node/nodes.js';
import { valueSpec, type ColumnSpec } from './column-builder.js';
import { Column } from './column.js';
import { conditionOf, type Condition } from './condition.js';
import {
  BIGINT_SPEC,
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
import { Param } from '../query/param.js';

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
export function coalesce<V, K extends string, T extends string>(expression: Expression<V, boolean, K, T>, fallback: V): Expression<V, false, KeyOr<K, 'coalesce'>, T>;
export function coalesce<V, K extends string, T extends string, U extends string = never>(
  expression: Expression<V, boolean, K, T>,
  ...rest: (V | AnyExpr<V, U>)[]
): Expression<V, boolean, KeyOr<K, 'coalesce'>, T | U>;
export function coalesce(expression: AnyExpr, ...rest: unknown[]): Expression<unknown, boolean, string, string> {
  const first = requireExpression(expression, 'coalesce');
  if (rest.length === 0) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `coalesce() needs a fallback: coalesce(Band.manager.name, 'none').`);
  const spec = specOf(first.node);
  const args = [first.node, ...rest.map((value) => (value instanceof Expression ? value.node : spec === undefined ? valueNode(encodeLoose(value, 'coalesce()')) : encodedValue(spec, 'coalesce()', value)))];
  return call('COALESCE', args, spec, first.key || 'coalesce');
}

/**
 * `NULLIF(expression, value)`: `null` where the expression equals the value, else the
 * expression: `nullIf(Venue.address, '')`. Keeps the expression's result key, as Piccolo's
 * `NullIf` (`address`); rename it with `.as()`.
 */
export function nullIf<V, N extends boolean, K extends string, T extends string>(expression: Expression<V, N, K, T>, value: V | Expression<V, boolean, string, T>): Expression<V, true, KeyOr<K, 'nullif'>, T> {
  const first = requireExpression(expression, 'nullIf');
  if (value === undefined || value === null) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `nullIf() needs the value that becomes null, for example nullIf(Venue.address, ''); got ${describe(value)}.`);
  }
  if (value instanceof Param) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `nullIf() got param('${value.name}'): prepared-query parameters are compared (eq, ne, gt, ...), assigned or inserted, not passed to nullIf(). Pass a plain value.`);
  }
  const spec = specOf(first.node);
  const compared = value instanceof Expression ? value.node : spec === undefined ? valueNode(encodeLoose(value, 'nullIf()')) : encodedValue(spec, 'nullIf()', value);
  return call('NULLIF', [first.node, compared], spec, first.key || 'nullif');
}

/** An expression's own result key, or `Fallback` when it has none (arithmetic, concat). */
type KeyOr<K extends string, Fallback extends string> = [K] extends [never] ? Fallback : K extends '' ? Fallback : K;

// ---- type conversion

/** The JavaScript value of each `cast()` type. */
export interface CastValue {
  text: string;
  integer: number;
  bigint: bigint;
  real: number;
}

const CAST_SPECS: ReadonlyMap<string, ColumnSpec> = new Map<CastType, ColumnSpec>([
  ['text', TEXT_SPEC],
  ['integer', INTEGER_SPEC],
  ['bigint', BIGINT_SPEC],
  ['real', REAL_SPEC],
]);

/**
 * `CAST(expression AS type)`, SQL's type conversion: `cast(Band.popularity, 'text')` is
 * `'1000'`, `cast(Band.name, 'integer')` reads a number out of text. Types: `'text'`,
 * `'integer'` (a number), `'bigint'` (a bigint, for values past 2^53), `'real'`. The result
 * keeps the expression's key, as Piccolo's `Cast` (`popularity`, `manager.name`). SQL's rules
 * apply: an integer cast truncates a fraction, and text that is not a number becomes 0 on SQLite
 * (PostgreSQL refuses it).
 */
export function cast<To extends CastType, N extends boolean, K extends string, T extends string>(
  expression: Expression<unknown, N, K, T>,
  to: To,
): Expression<CastValue[To], N, KeyOr<K, 'cast'>, T> {
  const inner = requireExpression(expression, 'cast');
  const spec = CAST_SPECS.get(to as string);
  if (spec === undefined) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `cast() converts to 'text', 'integer', 'bigint' or 'real'; got ${typeof to === 'string' ? JSON.stringify(to) : describe(to)}.`);
  }
  const from = specOf(inner.node);
  if (from !== undefined && valueSpec(from).type === 'numeric') {
    // A numeric column holds an integer count of its last digit (12.34 as 1234): a cast would convert that.
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `cast() of the numeric ${inner.key === '' ? 'expression' : `"${inner.key}"`} would convert its stored integer (12.34 is kept as 1234), not its value. Select the column itself: it reads back as a decimal string.`);
  }
  return new Expression({ kind: 'cast', expression: inner.node, to, spec }, (inner.key || 'cast') as KeyOr<K, 'cast'>);
}

// ---- dates and times

/** The year of a date or timestamp (UTC, as Picco stores them): `year(Concert.starts)`. */
export function year<N extends boolean, T extends string>(expression: Expression<Date, N, string, T>): Expression<number, N, 'year', T> {
  return datePart('year', expression);
}

/** The month, 1 to 12. */
export function month<N extends boolean, T extends string>(expression: Expression<Date, N, string, T>): Expression<number, N, 'month', T> {
  return datePart('month', expression);
}

/** The day of the month, 1 to 31. */
export function day<N extends boolean, T extends string>(expression: Expression<Date, N, string, T>): Expression<number, N, 'day', T> {
  return datePart('day', expression);
}

/** The hour of a timestamp, 0 to 23, in UTC. */
export function hour<N extends boolean, T extends string>(expression: Expression<Date, N, string, T>): Expression<number, N, 'hour', T> {
  return datePart('hour', expression);
}

export function minute<N extends boolean, T extends string>(expression: Expression<Date, N, string, T>): Expression<number, N, 'minute', T> {
  return datePart('minute', expression);
}

/** Whole seconds, 0 to 59 (the milliseconds are dropped). */
export function second<N extends boolean, T extends string>(expression: Expression<Date, N, string, T>): Expression<number, N, 'second', T> {
  return datePart('second', expression);
}

function datePart<R extends Expression<any, boolean, string, string>>(part: DatePart, expression: AnyExpr): R {
  const inner = requireExpression(expression, part);
  const type = specOf(inner.node) === undefined ? undefined : valueSpec(specOf(inner.node)!).type;
  if (type !== undefined && type !== 'timestamp' && type !== 'date') {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${part}() takes a timestamp or date column or expression; ${inner.key === '' ? 'this expression' : `"${inner.key}"`} is ${type}.`);
  }
  if (type === 'date' && (part === 'hour' || part === 'minute' || part === 'second')) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${part}() of the date "${inner.key}" would always be 0: a date has no time of day. Use a timestamp column.`);
  }
  return new Expression({ kind: 'date-part', part, expression: inner.node }, part) as R;
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
