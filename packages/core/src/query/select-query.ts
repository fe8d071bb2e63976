import type { CompiledQuery, ExecutionResult } from '../compiler/compiled-query.js';
import { compileQuery } from '../compiler/sqlite-compiler.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ColumnRefNode, ConditionNode, SelectNode } from '../operation-node/nodes.js';
import type { Column } from '../schema/column.js';
import { conjunction, nodeOf, type Condition } from '../schema/condition.js';
import { decodeRows, type TableInfo } from '../schema/table-info.js';
import { Query } from './query.js';

export type OrderDirection = 'asc' | 'desc';

/**
 * Shared by every query with a WHERE clause: each `where` call adds its conditions with AND,
 * and several conditions in one call are joined with AND too (as Piccolo's `where(*args)`).
 */
export function addCondition(table: TableInfo, current: ConditionNode | undefined, conditions: readonly Condition[], usedIn: string): ConditionNode {
  if (conditions.length === 0) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `${usedIn} on "${table.name}" got no condition. Pass one or more, for example .where(${table.name}.id.eq(1)); several must all hold.`,
    );
  }
  let added: ConditionNode;
  if (conditions.length === 1) {
    // The common case, on the hot path of point queries: no intermediate arrays.
    added = nodeOf(conditions[0]!);
    table.checkCondition(added, usedIn);
  } else {
    const nodes = conditions.map(nodeOf);
    for (const node of nodes) table.checkCondition(node, usedIn);
    added = conjunction('and', nodes, usedIn);
  }
  return current === undefined ? added : conjunction('and', [current, added], usedIn);
}

/** `Band.select(...)`: resolves to an array of rows. */
export class SelectQuery<TRow, E extends Engine = Engine> extends Query<TRow[], E> {
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    protected readonly table: TableInfo,
    readonly node: SelectNode,
  ) {
    super(engine);
  }

  /** Adds conditions that must all hold: `where(a, b)` is `where(and(a, b))`, and so are several `where` calls. */
  where(...conditions: Condition[]): SelectQuery<TRow, E> {
    return new SelectQuery(this.engine, this.table, { ...this.node, where: addCondition(this.table, this.node.where, conditions, 'where()') });
  }

  /** Sorts by a column; later calls break ties of earlier ones. */
  orderBy(column: Column<any, boolean, string, string>, direction: OrderDirection = 'asc'): SelectQuery<TRow, E> {
    if (direction !== 'asc' && direction !== 'desc') {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `orderBy() direction must be 'asc' or 'desc', got ${JSON.stringify(direction)}.`);
    }
    const order = { column: this.table.columnNode(column, 'orderBy()'), direction: direction === 'asc' ? 'ASC' : 'DESC' } as const;
    return new SelectQuery(this.engine, this.table, { ...this.node, orderBy: [...this.node.orderBy, order] });
  }

  limit(count: number): SelectQuery<TRow, E> {
    return new SelectQuery(this.engine, this.table, { ...this.node, limit: checkCount(count, 'limit') });
  }

  offset(count: number): SelectQuery<TRow, E> {
    return new SelectQuery(this.engine, this.table, { ...this.node, offset: checkCount(count, 'offset') });
  }

  /** The first row, or `undefined` when there is none. */
  first(): FirstQuery<TRow, E> {
    return new FirstQuery(this.engine, this.table, { ...this.node, limit: 1 });
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node));
  }

  protected decode(result: ExecutionResult): TRow[] {
    return decodeRows<TRow>(result.rows, this.table.decodersFor(selectedColumns(this.node)));
  }
}

/** `select(...).first()`: resolves to one row or `undefined`. */
export class FirstQuery<TRow, E extends Engine = Engine> extends Query<TRow | undefined, E> {
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    private readonly table: TableInfo,
    readonly node: SelectNode,
  ) {
    super(engine);
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= { ...compileQuery(this.node), mode: 'first' });
  }

  protected decode(result: ExecutionResult): TRow | undefined {
    return decodeRows<TRow>(result.rows, this.table.decodersFor(selectedColumns(this.node)))[0];
  }
}

/** `Band.count()`: resolves to a number. */
export class CountQuery<E extends Engine = Engine> extends Query<number, E> {
  // With a where() its parameters keep it out of the compiler's static cache: memoize per query.
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    private readonly table: TableInfo,
    readonly node: SelectNode,
  ) {
    super(engine);
  }

  /** Adds conditions that must all hold, as `SelectQuery.where`. */
  where(...conditions: Condition[]): CountQuery<E> {
    return new CountQuery(this.engine, this.table, { ...this.node, where: addCondition(this.table, this.node.where, conditions, 'where()') });
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node));
  }

  protected decode(result: ExecutionResult): number {
    return Number(result.rows[0]?.['count'] ?? 0);
  }
}

/** `Band.exists()`: resolves to whether any row matches. */
export class ExistsQuery<E extends Engine = Engine> extends Query<boolean, E> {
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    private readonly table: TableInfo,
    readonly node: SelectNode,
  ) {
    super(engine);
  }

  /** Adds conditions that must all hold, as `SelectQuery.where`. */
  where(...conditions: Condition[]): ExistsQuery<E> {
    return new ExistsQuery(this.engine, this.table, { ...this.node, where: addCondition(this.table, this.node.where, conditions, 'where()') });
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node));
  }

  protected decode(result: ExecutionResult): boolean {
    return Number(result.rows[0]?.['exists'] ?? 0) === 1;
  }
}

function selectedColumns(node: SelectNode): readonly ColumnRefNode[] {
  return node.selection.kind === 'columns' ? node.selection.columns : [];
}

function checkCount(count: number, name: string): number {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${name}() takes a whole number of rows, 0 or more; got ${String(count)}.`);
  }
  return count;
}
