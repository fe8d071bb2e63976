/**
 * `insert`, `update` and `delete`. Each resolves to `{ changes, lastInsertRowid }`, or to rows
 * when `.returning(...)` names columns.
 */
import { countsOf, type CompiledQuery, type ExecutionResult, type RunResult } from '../compiler/compiled-query.js';
import { compileInsertRow, compileQuery } from '../compiler/query-compiler.js';
import { dialectOf } from '../dialect/dialects.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { AssignmentNode, ColumnRefNode, DeleteNode, InsertNode, SqlValue, UpdateNode, UpsertNode } from '../operation-node/nodes.js';
import type { Column } from '../schema/column.js';
import { nodeOf, type Condition, type Filter, type ParamsOfFilters } from '../schema/condition.js';
import { Expression } from '../schema/expression.js';
import { encodedValue, valueNodeOf } from '../schema/values.js';
import { decodeRows, type TableInfo } from '../schema/table-info.js';
import type { RowOfColumns } from '../schema/table-types.js';
import { Query } from './query.js';
import type { NoParams } from './param.js';
import { addCondition } from './select-query.js';

export type { RunResult };

type AnyColumn = Column<any, boolean, string, string>;

abstract class MutationQuery<TResult, TNode extends InsertNode | UpdateNode | DeleteNode, E extends Engine, P> extends Query<TResult, E, P> {
  // `declare` + assignments in the constructor, not class fields: as `Query.engine` (see there),
  // a field would be defined on every query object by an initializer shared by three subclasses.
  declare protected readonly table: TableInfo;
  declare protected compiled: CompiledQuery | undefined;
  /** `undefined` only in an insert of one row until something asks for it (see `InsertQuery`). */
  declare protected ownNode: TNode | undefined;

  constructor(engine: E, table: TableInfo, node: TNode | undefined) {
    super(engine);
    this.table = table;
    this.ownNode = node;
    this.compiled = undefined;
  }

  /** The statement as an operation node. */
  get node(): TNode {
    // Only an insert is ever made without its node, and it overrides this getter.
    return this.ownNode!;
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node, dialectOf(this.engine)));
  }

  protected decode(result: ExecutionResult): TResult {
    // No node yet: an insert of one plain row, which has no RETURNING (and needs no node).
    const returning = this.ownNode?.returning;
    if (returning === undefined) return countsOf(result) as TResult;
    return decodeRows(result.rows, this.table.decodersFor(returning)) as TResult;
  }

  /** Without RETURNING, every run's result is its counts: one function for every prepared mutation. */
  protected override decoder(): (result: ExecutionResult) => TResult {
    if (this.ownNode?.returning !== undefined) return super.decoder();
    return countsOf as (result: ExecutionResult) => TResult;
  }

  protected returningNodes(columns: readonly AnyColumn[]): TNode['returning'] {
    return columns.length === 0 ? this.table.visibleColumns : columns.map((column) => this.table.columnNode(column, 'returning()'));
  }
}

/**
 * `TRow` is the table's row: what `returning()` with no columns resolves to (with
 * `RowOfColumns<[]>` alone it would be typed `{}[]` while every column comes back); secret
 * columns are left out of it. `TFullRow` has them too: what an upsert's `set` may write. `P`: the
 * query's named parameters (see `Query`).
 */
export class InsertQuery<TResult = RunResult, E extends Engine = Engine, TRow = Record<string, unknown>, TFullRow = TRow, P = NoParams> extends MutationQuery<TResult, InsertNode, E, P> {
  /** One plain row's columns, when made by `Table.insert(row)` (see the constructor). */
  declare private readonly rowColumns: readonly ColumnRefNode[] | undefined;
  /** That row's values, encoded, in column order (a `ParamSlot` for a parameter). */
  declare private readonly rowValues: readonly SqlValue[] | undefined;

  /**
   * `rowColumns` and `rowValues`: one plain row (`Table.insert(row)`), instead of a node. The
   * common insert compiles straight from them, and its node (value nodes, a tuple, the rows
   * list) is made only if a chained method or `query.node` asks for it. Measured with
   * `node --cpu-prof` on a loop of 20,000-row transactions: compiling the node alone was ~10% of
   * an unprepared insert, ~1.5% from the values (and the GC of those objects 5.8%, 2.6-4.5%).
   */
  constructor(engine: E, table: TableInfo, node: InsertNode | undefined, rowColumns?: readonly ColumnRefNode[], rowValues?: readonly SqlValue[]) {
    super(engine, table, node);
    this.rowColumns = rowColumns;
    this.rowValues = rowValues;
  }

  override toSQL(): CompiledQuery {
    const columns = this.rowColumns;
    if (columns === undefined) return super.toSQL();
    return (this.compiled ??= compileInsertRow(this.table.ref, columns, this.rowValues!, dialectOf(this.engine), this));
  }

  override get node(): InsertNode {
    let node = this.ownNode;
    if (node === undefined) {
      const columns = this.rowColumns!;
      const tuple = this.rowValues!.map((value, index) => valueNodeOf(columns[index]!.spec, value));
      node = this.ownNode = { kind: 'insert', table: this.table.ref, columns, rows: [tuple], onConflict: 'abort', returning: undefined };
    }
    return node;
  }

  /** Resolves to the inserted rows' columns (all but the secret ones when none are named). */
  returning(): InsertQuery<TRow[], E, TRow, TFullRow, P>;
  returning<S extends [AnyColumn, ...AnyColumn[]]>(...columns: S): InsertQuery<RowOfColumns<S>[], E, TRow, TFullRow, P>;
  returning(...columns: AnyColumn[]): InsertQuery<unknown, E, TRow, TFullRow, P> {
    return new InsertQuery(this.engine, this.table, { ...this.node, returning: this.returningNodes(columns) });
  }

  /**
   * What to do when a row breaks a UNIQUE or PRIMARY KEY constraint: `'ignore'` skips it,
   * `'replace'` deletes the old row and inserts the new one. Or an upsert clause (chain several;
   * SQLite tries them in order):
   * `onConflict({ target: Band.name, action: 'doUpdate', set: { popularity: excluded(Band.popularity) }, where })`,
   * where `set` may also list columns to take from the proposed row (`set: [Band.popularity]`).
   */
  onConflict(action: 'abort' | 'ignore' | 'replace'): InsertQuery<TResult, E, TRow, TFullRow, P>;
  onConflict(clause: UpsertClause<TFullRow>): InsertQuery<TResult, E, TRow, TFullRow, P>;
  onConflict(action: 'abort' | 'ignore' | 'replace' | UpsertClause<TFullRow>): InsertQuery<TResult, E, TRow, TFullRow, P> {
    if (typeof action === 'object' && action !== null) {
      return new InsertQuery(this.engine, this.table, { ...this.node, upserts: [...(this.node.upserts ?? []), upsertNode(this.table, this.node, action)] });
    }
    if (!['abort', 'ignore', 'replace'].includes(action)) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `onConflict() takes 'abort', 'ignore' or 'replace', or an upsert clause { target, action: 'doNothing' | 'doUpdate', set, where }; got ${JSON.stringify(action)}.`,
      );
    }
    return new InsertQuery(this.engine, this.table, { ...this.node, onConflict: action });
  }
}

export class UpdateQuery<TResult = RunResult, E extends Engine = Engine, TRow = Record<string, unknown>, P = NoParams> extends MutationQuery<TResult, UpdateNode, E, P> {
  declare private readonly force: boolean;

  constructor(engine: E, table: TableInfo, node: UpdateNode, force: boolean) {
    super(engine, table, node);
    this.force = force;
  }

  /** Adds conditions that must all hold: `where(a, b)` is `where(and(a, b))`, and so are several `where` calls. */
  where<C extends Filter[]>(...conditions: C): UpdateQuery<TResult, E, TRow, P & ParamsOfFilters<C>> {
    const where = addCondition(this.table, this.node.where, conditions, 'update().where()');
    return new UpdateQuery(this.engine, this.table, { ...this.node, where }, this.force);
  }

  returning(): UpdateQuery<TRow[], E, TRow, P>;
  returning<S extends [AnyColumn, ...AnyColumn[]]>(...columns: S): UpdateQuery<RowOfColumns<S>[], E, TRow, P>;
  returning(...columns: AnyColumn[]): UpdateQuery<unknown, E, TRow, P> {
    return new UpdateQuery(this.engine, this.table, { ...this.node, returning: this.returningNodes(columns) }, this.force);
  }

  protected override validate(): void {
    if (this.node.where === undefined && !this.force) throw unfiltered('update', this.table.name);
  }
}

export class DeleteQuery<TResult = RunResult, E extends Engine = Engine, TRow = Record<string, unknown>, P = NoParams> extends MutationQuery<TResult, DeleteNode, E, P> {
  declare private readonly force: boolean;

  constructor(engine: E, table: TableInfo, node: DeleteNode, force: boolean) {
    super(engine, table, node);
    this.force = force;
  }

  /** Adds conditions that must all hold: `where(a, b)` is `where(and(a, b))`, and so are several `where` calls. */
  where<C extends Filter[]>(...conditions: C): DeleteQuery<TResult, E, TRow, P & ParamsOfFilters<C>> {
    const where = addCondition(this.table, this.node.where, conditions, 'delete().where()');
    return new DeleteQuery(this.engine, this.table, { ...this.node, where }, this.force);
  }

  returning(): DeleteQuery<TRow[], E, TRow, P>;
  returning<S extends [AnyColumn, ...AnyColumn[]]>(...columns: S): DeleteQuery<RowOfColumns<S>[], E, TRow, P>;
  returning(...columns: AnyColumn[]): DeleteQuery<unknown, E, TRow, P> {
    return new DeleteQuery(this.engine, this.table, { ...this.node, returning: this.returningNodes(columns) }, this.force);
  }

  protected override validate(): void {
    if (this.node.where === undefined && !this.force) throw unfiltered('delete', this.table.name);
  }
}

/** An `ON CONFLICT` clause. `TRow` is the table's row, for typing `set`. */
export interface UpsertClause<TRow = Record<string, unknown>> {
  /** The UNIQUE / PRIMARY KEY column(s) whose conflict this clause handles. Required for doUpdate. */
  readonly target?: AnyColumn | readonly AnyColumn[];
  readonly action: 'doNothing' | 'doUpdate';
  /** New values (`excluded(...)` is the proposed row's value), or columns to take from the proposed row. */
  readonly set?: { readonly [K in keyof TRow]?: TRow[K] | Expression<NonNullable<TRow[K]>, boolean, string, string> } | readonly AnyColumn[];
  /** Update only when this holds (doUpdate only). */
  readonly where?: Filter;
}

function upsertNode(table: TableInfo, insert: InsertNode, clause: UpsertClause<any>): UpsertNode {
  const usedIn = 'onConflict()';
  if (clause.action !== 'doNothing' && clause.action !== 'doUpdate') {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `onConflict() action must be 'doNothing' or 'doUpdate', got ${JSON.stringify(clause.action)}.`);
  }
  const targets = clause.target === undefined ? [] : Array.isArray(clause.target) ? clause.target : [clause.target as AnyColumn];
  const target = targets.map((column) => table.columnNode(column, usedIn));
  if (insert.upserts?.some((previous) => previous.target.length === 0)) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `onConflict(): a clause without a target must be the last one (SQLite's rule). Give the earlier clause a target.`);
  }
  if (clause.action === 'doNothing') {
    if (clause.set !== undefined || clause.where !== undefined) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `onConflict({ action: 'doNothing' }) takes no set or where: those belong to 'doUpdate'.`);
    }
    return { target, action: 'doNothing', set: [], where: undefined };
  }
  if (target.length === 0) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `onConflict({ action: 'doUpdate' }) needs a target: the UNIQUE or PRIMARY KEY column(s) whose conflict it handles, for example target: Band.name.`);
  }
  // An update by upsert is an update: autoUpdate() columns it does not set are set too.
  const set = table.withAutoUpdates(assignmentsOf(table, clause.set, usedIn));
  const where = clause.where === undefined ? undefined : nodeOf(clause.where as Condition);
  if (where !== undefined) table.checkCondition(where, usedIn, { excluded: true, joins: false, aggregates: false });
  return { target, action: 'doUpdate', set, where };
}

function assignmentsOf(table: TableInfo, set: UpsertClause<any>['set'], usedIn: string): AssignmentNode[] {
  if (Array.isArray(set)) {
    // Columns: take each from the proposed row.
    return set.map((column: AnyColumn) => {
      const node = table.columnNode(column, usedIn);
      return { column: node, value: { kind: 'excluded', column: node } };
    });
  }
  const entries = set === undefined || set === null || typeof set !== 'object' ? [] : Object.entries(set).filter(([, value]) => value !== undefined);
  if (entries.length === 0) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `onConflict({ action: 'doUpdate' }) needs values in set: { popularity: excluded(Band.popularity) }, or columns to take from the proposed row: set: [Band.popularity].`,
    );
  }
  return entries.map(([key, value]): AssignmentNode => {
    const column = table.columns.get(key);
    if (column === undefined) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `${usedIn} set on "${table.name}" got unknown column "${key}". Its columns are: ${[...table.columns.keys()].join(', ')}.`);
    }
    if (value instanceof Expression) {
      table.checkExpression(value.node, usedIn, { excluded: true, joins: false, aggregates: false });
      return { column, value: value.node };
    }
    return { column, value: encodedValue(column.spec, key, value) };
  });
}

function unfiltered(verb: 'update' | 'delete', table: string): PiccoError {
  return new PiccoError(
    PiccoErrorCode.UNFILTERED_MUTATION,
    `${verb}() on "${table}" has no where() and would change every row. ` +
      `Add .where(...), or pass { force: true } to ${verb}() if every row is meant.`,
  );
}
