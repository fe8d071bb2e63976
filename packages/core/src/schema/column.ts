/**
 * A column bound to its table: `Band.popularity`. It names the column in queries and builds
 * conditions (`Band.popularity.gt(100)`).
 */
import type { ColumnRefNode, ComparisonOperator, ValueNode } from '../operation-node/nodes.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import { conditionOf, type Condition } from './condition.js';
import type { ColumnSpec } from './column-builder.js';
import { encodeValue } from './values.js';

export class Column<TValue = unknown, TNullable extends boolean = boolean, TKey extends string = string, TTable extends string = string> {
  /** Phantom members for inference. */
  declare readonly _value: TValue;
  declare readonly _nullable: TNullable;
  declare readonly _table: TTable;

  readonly node: ColumnRefNode;

  constructor(
    readonly tableName: TTable,
    readonly key: TKey,
    node: ColumnRefNode,
  ) {
    this.node = node;
  }

  get spec(): ColumnSpec {
    return this.node.spec;
  }

  /** `= value`; `eq(null)` is `IS NULL`. */
  eq(value: TValue | (TNullable extends true ? null : never)): Condition {
    return value === null ? this.isNull() : this.compare('=', value);
  }

  /** `<> value`; `ne(null)` is `IS NOT NULL`. */
  ne(value: TValue | (TNullable extends true ? null : never)): Condition {
    return value === null ? this.isNotNull() : this.compare('<>', value);
  }

  gt(value: TValue): Condition {
    return this.compare('>', value);
  }

  gte(value: TValue): Condition {
    return this.compare('>=', value);
  }

  lt(value: TValue): Condition {
    return this.compare('<', value);
  }

  lte(value: TValue): Condition {
    return this.compare('<=', value);
  }

  /** SQLite's LIKE: `%` any run, `_` one character, ASCII case-insensitive. */
  like(pattern: string): Condition {
    // From untyped code, `like(undefined)` would compare with NULL and silently match nothing.
    if (typeof pattern !== 'string') {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `like() on "${this.tableName}.${this.key}" takes a pattern string such as 'P%', got ${pattern === null ? 'null' : typeof pattern}. ` +
          `Pass a string, or use isNull() / isNotNull() to match NULL.`,
      );
    }
    return conditionOf({ kind: 'comparison', operator: 'LIKE', column: this.node, value: { kind: 'value', value: pattern } });
  }

  /** One of the values (an array or a Set); an empty list matches no row. */
  in(values: readonly TValue[] | ReadonlySet<TValue>): Condition {
    return conditionOf({ kind: 'in-list', negated: false, column: this.node, values: this.list('in', values) });
  }

  /** None of the values (an array or a Set); an empty list matches every row. */
  notIn(values: readonly TValue[] | ReadonlySet<TValue>): Condition {
    return conditionOf({ kind: 'in-list', negated: true, column: this.node, values: this.list('notIn', values) });
  }

  isNull(): Condition {
    return conditionOf({ kind: 'null-check', negated: false, column: this.node });
  }

  isNotNull(): Condition {
    return conditionOf({ kind: 'null-check', negated: true, column: this.node });
  }

  private compare(operator: ComparisonOperator, value: unknown): Condition {
    return conditionOf({ kind: 'comparison', operator, column: this.node, value: this.value(value) });
  }

  private list(method: string, values: unknown): ValueNode[] {
    if (Array.isArray(values)) return values.map((value: unknown) => this.value(value));
    // A Set, or any other iterable but a string (whose characters are surely not meant).
    if (values !== null && typeof values === 'object' && typeof (values as Iterable<unknown>)[Symbol.iterator] === 'function') {
      return Array.from(values as Iterable<unknown>, (value) => this.value(value));
    }
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `${method}() on "${this.tableName}.${this.key}" takes an array (or a Set) of values, for example ${method}([1, 2]); ` +
        `got ${values === null ? 'null' : typeof values === 'string' ? `the string ${JSON.stringify(values)}` : typeof values}. ` +
        `For one value use eq() / ne().`,
    );
  }

  private value(value: unknown): ValueNode {
    // From untyped code, `eq(undefined)` would silently compare with NULL and match nothing.
    if (value === undefined) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `A condition on "${this.tableName}.${this.key}" got undefined. Pass a value, or use isNull() / isNotNull() to match NULL.`,
      );
    }
    return { kind: 'value', value: encodeValue(this.node.spec, this.key, value) };
  }
}

export type AnyColumn = Column<any, boolean, string, string>;
