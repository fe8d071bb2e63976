/**
 * A value computed by SQL: a column, a joined column (`Band.manager.name`), a function call
 * (`lower(Band.name)`), arithmetic (`Band.popularity.plus(10)`), an aggregate (`count()`).
 * Every expression builds conditions (`.eq`, `.like`, `.between`, `.in`, ...), can be selected
 * under a result key (`.as('key')`), ordered by, grouped by, and assigned in `update()`.
 *
 * Type parameters: `TValue` the JavaScript value, `TNullable` whether it may be `null`, `TKey`
 * its result key in rows, `TTable` the table whose queries may use it (`never` when it names
 * no column: `count()` fits any table).
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { BinaryOperator, ComparisonOperator, ExpressionNode, SelectNode, SqlValue, ValueNode } from '../operation-node/nodes.js';
import type { ColumnSpec } from './column-builder.js';
import { conditionOf, type Condition } from './condition.js';
import { encodedValue } from './values.js';
import { Param, paramNode, type ParamOf } from '../query/param.js';

/** Anything usable where an expression is: a query may mix expressions of its own table. */
export type AnyExpression = Expression<any, boolean, string, string>;

/** A query whose rows have one value: what `in()`, `notIn()` and scalar comparisons take. */
export interface SubqueryLike {
  readonly node: SelectNode;
}

/** A value or an expression of the same type: `Band.popularity.gt(1000)` or `.gt(Band.other)`. */
export type ValueOrExpression<TValue> = TValue | Expression<TValue, boolean, string, string>;

export class Expression<TValue = unknown, TNullable extends boolean = boolean, TKey extends string = string, TTable extends string = string> {
  /** Phantom members for inference, never read at run time. */
  declare readonly _value: TValue;
  declare readonly _nullable: TNullable;
  declare readonly _table: TTable;

  constructor(
    readonly node: ExpressionNode,
    /** The key this expression gets in result rows; '' when it has none yet (see `as`). */
    readonly key: TKey,
  ) {}

  /** How values compared with this expression are encoded, and how its results are decoded. */
  get valueSpec(): ColumnSpec | undefined {
    return specOf(this.node);
  }

  /** Selects this expression under another key: `Band.name.as('title')`, `count().as('total')`. */
  as<K extends string>(key: K): Expression<TValue, TNullable, K, TTable> {
    if (typeof key !== 'string' || key === '') {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `as() takes a non-empty result key, for example count().as('total'); got ${JSON.stringify(key)}.`);
    }
    // One object per (expression, key): a query built in a loop reuses its selection (see selection.ts).
    let byKey = aliasCache.get(this);
    if (byKey === undefined) aliasCache.set(this, (byKey = new Map()));
    let aliased = byKey.get(key);
    if (aliased === undefined) {
      aliased = new Expression(this.node, key);
      if (byKey.size < MAX_ALIASES_PER_EXPRESSION) byKey.set(key, aliased);
    }
    return aliased as Expression<TValue, TNullable, K, TTable>;
  }

  /** `= value`; `eq(null)` is `IS NULL`; `eq(param('id'))` a parameter of a prepared query. */
  eq<N extends string>(value: Param<N>): Condition<{ [K in N]: TValue }>;
  eq(value: ValueOrExpression<TValue> | (TNullable extends true ? null : never)): Condition;
  eq(value: unknown): Condition<any> {
    return value === null ? this.isNull() : this.compare('=', value);
  }

  /** `<> value`; `ne(null)` is `IS NOT NULL`. */
  ne<N extends string>(value: Param<N>): Condition<{ [K in N]: TValue }>;
  ne(value: ValueOrExpression<TValue> | (TNullable extends true ? null : never)): Condition;
  ne(value: unknown): Condition<any> {
    return value === null ? this.isNotNull() : this.compare('<>', value);
  }

  gt<N extends string>(value: Param<N>): Condition<{ [K in N]: TValue }>;
  gt(value: ValueOrExpression<TValue>): Condition;
  gt(value: unknown): Condition<any> {
    return this.compare('>', value);
  }

  gte<N extends string>(value: Param<N>): Condition<{ [K in N]: TValue }>;
  gte(value: ValueOrExpression<TValue>): Condition;
  gte(value: unknown): Condition<any> {
    return this.compare('>=', value);
  }

  lt<N extends string>(value: Param<N>): Condition<{ [K in N]: TValue }>;
  lt(value: ValueOrExpression<TValue>): Condition;
  lt(value: unknown): Condition<any> {
    return this.compare('<', value);
  }

  lte<N extends string>(value: Param<N>): Condition<{ [K in N]: TValue }>;
  lte(value: ValueOrExpression<TValue>): Condition;
  lte(value: unknown): Condition<any> {
    return this.compare('<=', value);
  }

  /**
   * LIKE: `%` any run, `_` one character. Case: SQLite's LIKE ignores ASCII case, PostgreSQL's
   * does not (use `ilike` for a case-insensitive match on both).
   */
  like(pattern: string): Condition {
    return conditionOf({ kind: 'comparison', operator: 'LIKE', column: this.node, value: this.pattern(pattern, 'like') });
  }

  /**
   * Case-insensitive LIKE: PostgreSQL's ILIKE. SQLite's LIKE already ignores ASCII case (Piccolo
   * makes `ilike` an alias of `like` on SQLite too); there letters beyond ASCII compare exactly.
   */
  ilike(pattern: string): Condition {
    return conditionOf({ kind: 'comparison', operator: 'ILIKE', column: this.node, value: this.pattern(pattern, 'ilike') });
  }

  notLike(pattern: string): Condition {
    return conditionOf({ kind: 'comparison', operator: 'NOT LIKE', column: this.node, value: this.pattern(pattern, 'notLike') });
  }

  /** `BETWEEN low AND high`, both ends included; either end may be a `param()`. */
  between<L extends ValueOrExpression<TValue> | Param, H extends ValueOrExpression<TValue> | Param>(low: L, high: H): Condition<ParamOf<L, TValue> & ParamOf<H, TValue>> {
    return conditionOf({ kind: 'between', negated: false, column: this.node, low: this.operand(low, true), high: this.operand(high, true) });
  }

  /** One of the values (an array or a Set; an empty list matches no row), or in the rows of a one-column subquery (`Manager.select(Manager.id).where(...)`). */
  in(values: readonly TValue[] | ReadonlySet<TValue> | SubqueryLike): Condition {
    return this.membership(values, false, 'in');
  }

  notIn(values: readonly TValue[] | ReadonlySet<TValue> | SubqueryLike): Condition {
    return this.membership(values, true, 'notIn');
  }

  isNull(): Condition {
    return conditionOf({ kind: 'null-check', negated: false, column: this.node });
  }

  isNotNull(): Condition {
    return conditionOf({ kind: 'null-check', negated: true, column: this.node });
  }

  /** `this + value` (numbers): `update({ popularity: Band.popularity.plus(10) })`. */
  plus(this: Expression<number | bigint | `${number}`, boolean, string, string>, value: ValueOrExpression<TValue>): Expression<TValue, TNullable, never, TTable> {
    return this.arithmetic('+', value) as never;
  }

  minus(this: Expression<number | bigint | `${number}`, boolean, string, string>, value: ValueOrExpression<TValue>): Expression<TValue, TNullable, never, TTable> {
    return this.arithmetic('-', value) as never;
  }

  times(this: Expression<number | bigint, boolean, string, string>, value: ValueOrExpression<TValue>): Expression<TValue, TNullable, never, TTable> {
    return this.arithmetic('*', value) as never;
  }

  /** SQL division: integer operands divide as integers (`7 / 2` is 3), as in SQLite. */
  dividedBy(this: Expression<number | bigint, boolean, string, string>, value: ValueOrExpression<TValue>): Expression<TValue, TNullable, never, TTable> {
    return this.arithmetic('/', value) as never;
  }

  /** String concatenation (`||`): `Band.name.concat('!')`, `Band.name.concat(Band.manager.name)`. */
  concat<T extends string = never>(
    this: Expression<string, boolean, string, string>,
    ...values: (string | number | Expression<unknown, boolean, string, T>)[]
  ): Expression<string, TNullable, never, TTable | T> {
    if (values.length === 0) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `concat() needs at least one value to append, for example Band.name.concat('!').`);
    }
    let node: ExpressionNode = this.node;
    for (const value of values) {
      const right = value instanceof Expression ? value.node : typeof value === 'string' || typeof value === 'number' ? valueNode(value) : undefined;
      if (right === undefined) {
        throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `concat() takes strings, numbers or expressions; got ${describe(value)}.`);
      }
      node = { kind: 'binary', operator: '||', left: node, right, spec: TEXT_SPEC };
    }
    return new Expression(node, '' as never);
  }

  // ---- helpers

  /** A right-hand operand: an expression as it is, a value encoded like this expression's values. */
  protected operand(value: unknown, acceptsParam = false): ExpressionNode {
    if (value instanceof Expression) return value.node;
    if (value instanceof Param) {
      if (!acceptsParam) {
        throw new PiccoError(
          PiccoErrorCode.INVALID_QUERY,
          `param('${value.name}') was used with ${this.describeSelf()} where parameters are not supported. ` +
            `A parameter can be compared with (eq, ne, gt, gte, lt, lte, between), assigned in update() or given as an insert() value.`,
        );
      }
      return paramNode(value, this.valueSpec, this.key || this.describeSelf(), false, encodeLoose);
    }
    // From untyped code, `eq(undefined)` would silently compare with NULL and match nothing.
    if (value === undefined) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `A condition on ${this.describeSelf()} got undefined. Pass a value, or use isNull() / isNotNull() to match NULL.`,
      );
    }
    const spec = this.valueSpec;
    return spec === undefined ? valueNode(encodeLoose(value, this.describeSelf())) : encodedValue(spec, this.key || this.describeSelf(), value);
  }

  private compare(operator: ComparisonOperator, value: unknown): Condition {
    return conditionOf({ kind: 'comparison', operator, column: this.node, value: this.operand(value, true) });
  }

  private pattern(pattern: unknown, method: string): ValueNode {
    if (typeof pattern !== 'string') {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `${method}() on ${this.describeSelf()} takes a pattern string such as 'Py%', got ${pattern === null ? 'null' : typeof pattern}. ` +
          `Pass a string, or use isNull() / isNotNull() to match NULL.`,
      );
    }
    return valueNode(pattern);
  }

  private membership(values: unknown, negated: boolean, method: string): Condition {
    if (isSubquery(values)) {
      const selection = values.node.selection;
      const width = selection.kind === 'columns' ? selection.columns.length : selection.kind === 'items' ? selection.items.length : 0;
      if (width !== 1) {
        throw new PiccoError(
          PiccoErrorCode.INVALID_QUERY,
          `${method}() with a subquery needs it to select exactly one column, for example Manager.select(Manager.id); got ${width === 0 ? 'a count or exists query' : `${width} columns`}.`,
        );
      }
      return conditionOf({ kind: 'in-subquery', negated, column: this.node, query: values.node });
    }
    // An array, a Set, or any other iterable but a string (whose characters are surely not meant).
    const list = Array.isArray(values)
      ? values
      : values !== null && typeof values === 'object' && typeof (values as Iterable<unknown>)[Symbol.iterator] === 'function'
        ? Array.from(values as Iterable<unknown>)
        : undefined;
    if (list === undefined) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `${method}() on ${this.describeSelf()} takes an array (or a Set) of values, for example ${method}([1, 2]), or a one-column select query; ` +
          `got ${values === null ? 'null' : typeof values === 'string' ? `the string ${JSON.stringify(values)}` : typeof values}. For one value use eq() / ne().`,
      );
    }
    const nodes = list.map((value: unknown) => {
      const node = this.operand(value);
      if (node.kind !== 'value') {
        throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${method}() takes a list of plain values; for expressions use or(...) of eq() conditions, or a subquery.`);
      }
      return node;
    });
    return conditionOf({ kind: 'in-list', negated, column: this.node, values: nodes });
  }

  private arithmetic(operator: BinaryOperator, value: unknown): Expression<TValue, TNullable, never, TTable> {
    if (this.valueSpec?.type === 'numeric' && (operator === '*' || operator === '/')) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${operator === '*' ? 'times' : 'dividedBy'}() on the numeric ${this.describeSelf()} would lose its scale; only plus() and minus() keep decimals exact.`);
    }
    let right = this.operand(value);
    // better-sqlite3 binds every JavaScript number as a REAL: on an integer expression a whole
    // number goes as an INTEGER, or `popularity / 3` would divide as reals and store a fraction
    // in an integer column.
    const type = this.valueSpec?.type;
    if (right.kind === 'value' && typeof right.value === 'number' && Number.isSafeInteger(right.value) && (type === 'integer' || type === 'serial' || type === 'foreignKey' || type === 'bigint')) {
      right = valueNode(BigInt(right.value));
    }
    return new Expression({ kind: 'binary', operator, left: this.node, right, spec: this.valueSpec }, '' as never);
  }

  protected describeSelf(): string {
    return this.key === '' ? 'an expression' : `"${this.key}"`;
  }
}

const aliasCache = new WeakMap<AnyExpression, Map<string, AnyExpression>>();
const MAX_ALIASES_PER_EXPRESSION = 16;

export const TEXT_SPEC: ColumnSpec = plainSpec('text');
export const INTEGER_SPEC: ColumnSpec = plainSpec('integer');
export const REAL_SPEC: ColumnSpec = plainSpec('real');
export const TIMESTAMP_SPEC: ColumnSpec = plainSpec('timestamp');
export const BIGINT_SPEC: ColumnSpec = plainSpec('bigint');
export const BOOLEAN_SPEC: ColumnSpec = plainSpec('boolean');

export function plainSpec(type: ColumnSpec['type']): ColumnSpec {
  return { type, nullable: true, unique: false, primaryKey: false, index: false, default: undefined, length: undefined, references: undefined, onDelete: undefined };
}

/** The spec a node's values follow, when it has one. */
export function specOf(node: ExpressionNode): ColumnSpec | undefined {
  switch (node.kind) {
    case 'column':
      return node.spec;
    case 'joined-column':
      return node.column.spec;
    case 'binary':
    case 'function':
    case 'aggregate':
    case 'cast':
    case 'case':
      return node.spec;
    case 'date-part':
      return INTEGER_SPEC;
    case 'excluded':
      return node.column.spec;
    case 'subquery': {
      const selection = node.query.selection;
      if (selection.kind === 'columns') return selection.columns[0]?.spec;
      if (selection.kind === 'items') return selection.items[0] === undefined ? undefined : specOf(selection.items[0].expression);
      return INTEGER_SPEC;
    }
    case 'value':
    case 'raw':
      return undefined;
  }
}

export function valueNode(value: SqlValue): ValueNode {
  return { kind: 'value', value };
}

/** Encodes a value with no column to guide it (a raw `sql` parameter, a `coalesce` fallback). */
export function encodeLoose(value: unknown, usedIn: string): SqlValue {
  if (value === null || typeof value === 'string' || typeof value === 'bigint' || value instanceof Uint8Array) return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${usedIn} got NaN, which SQLite would store as NULL. Pass a number.`);
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  throw new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `${usedIn} got ${describe(value)}, which is not an SQL value. Pass a string, number, bigint, boolean, Date, Uint8Array or null.`,
  );
}

export function isSubquery(value: unknown): value is SubqueryLike {
  return typeof value === 'object' && value !== null && (value as { node?: { kind?: unknown } }).node?.kind === 'select';
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object') return Object.prototype.toString.call(value);
  return `${typeof value} ${String(value)}`;
}
