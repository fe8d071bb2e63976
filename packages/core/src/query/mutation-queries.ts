/**
 * `insert`, `update` and `delete`. Each resolves to `{ changes, lastInsertRowid }`, or to rows
 * when `.returning(...)` names columns.
 */
import type { CompiledQuery, ExecutionResult } from '../compiler/compiled-query.js';
import { compileQuery } from '../compiler/sqlite-compiler.js';
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { DeleteNode, InsertNode, UpdateNode } from '../operation-node/nodes.js';
import type { Column } from '../schema/column.js';
import type { Condition } from '../schema/condition.js';
import { decodeRows, type TableInfo } from '../schema/table-info.js';
import type { RowOfColumns } from '../schema/table-types.js';
import { Query } from './query.js';
import { addCondition } from './select-query.js';

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  readonly changes: number;
  /** The rowid of the last inserted row. */
  readonly lastInsertRowid: number | bigint;
}

type AnyColumn = Column<any, boolean, string, string>;

abstract class MutationQuery<TResult, TNode extends InsertNode | UpdateNode | DeleteNode, E extends Engine> extends Query<TResult, E> {
  private compiled: CompiledQuery | undefined;

  constructor(
    engine: E,
    protected readonly table: TableInfo,
    readonly node: TNode,
  ) {
    super(engine);
  }

  toSQL(): CompiledQuery {
    return (this.compiled ??= compileQuery(this.node));
  }

  protected decode(result: ExecutionResult): TResult {
    if (this.node.returning === undefined) {
      return { changes: result.changes, lastInsertRowid: result.lastInsertRowid } as TResult;
    }
    return decodeRows(result.rows, this.table.decodersFor(this.node.returning)) as TResult;
  }

  protected returningNodes(columns: readonly AnyColumn[]): TNode['returning'] {
    const list = columns.length === 0 ? [...this.table.columns.values()] : columns.map((column) => this.table.columnNode(column, 'returning()'));
    return list;
  }
}

/**
 * `TRow` is the table's full row: what `returning()` with no columns resolves to (with
 * `RowOfColumns<[]>` alone it would be typed `{}[]` while every column comes back).
 */
export class InsertQuery<TResult = RunResult, E extends Engine = Engine, TRow = Record<string, unknown>> extends MutationQuery<TResult, InsertNode, E> {
  /** Resolves to the inserted rows' columns (all columns when none are named). */
  returning(): InsertQuery<TRow[], E, TRow>;
  returning<S extends [AnyColumn, ...AnyColumn[]]>(...columns: S): InsertQuery<RowOfColumns<S>[], E, TRow>;
  returning(...columns: AnyColumn[]): InsertQuery<unknown, E, TRow> {
    return new InsertQuery(this.engine, this.table, { ...this.node, returning: this.returningNodes(columns) });
  }

  /** What to do when a row breaks a UNIQUE or PRIMARY KEY constraint: `ignore` skips it, `replace` overwrites. */
  onConflict(action: 'abort' | 'ignore' | 'replace'): InsertQuery<TResult, E, TRow> {
    if (!['abort', 'ignore', 'replace'].includes(action)) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `onConflict() takes 'abort', 'ignore' or 'replace', got ${JSON.stringify(action)}.`);
    }
    return new InsertQuery(this.engine, this.table, { ...this.node, onConflict: action });
  }
}

export class UpdateQuery<TResult = RunResult, E extends Engine = Engine, TRow = Record<string, unknown>> extends MutationQuery<TResult, UpdateNode, E> {
  constructor(
    engine: E,
    table: TableInfo,
    node: UpdateNode,
    private readonly force: boolean,
  ) {
    super(engine, table, node);
  }

  /** Adds conditions that must all hold: `where(a, b)` is `where(and(a, b))`, and so are several `where` calls. */
  where(...conditions: Condition[]): UpdateQuery<TResult, E, TRow> {
    const where = addCondition(this.table, this.node.where, conditions, 'update().where()');
    return new UpdateQuery(this.engine, this.table, { ...this.node, where }, this.force);
  }

  returning(): UpdateQuery<TRow[], E, TRow>;
  returning<S extends [AnyColumn, ...AnyColumn[]]>(...columns: S): UpdateQuery<RowOfColumns<S>[], E, TRow>;
  returning(...columns: AnyColumn[]): UpdateQuery<unknown, E, TRow> {
    return new UpdateQuery(this.engine, this.table, { ...this.node, returning: this.returningNodes(columns) }, this.force);
  }

  protected override validate(): void {
    if (this.node.where === undefined && !this.force) throw unfiltered('update', this.table.name);
  }
}

export class DeleteQuery<TResult = RunResult, E extends Engine = Engine, TRow = Record<string, unknown>> extends MutationQuery<TResult, DeleteNode, E> {
  constructor(
    engine: E,
    table: TableInfo,
    node: DeleteNode,
    private readonly force: boolean,
  ) {
    super(engine, table, node);
  }

  /** Adds conditions that must all hold: `where(a, b)` is `where(and(a, b))`, and so are several `where` calls. */
  where(...conditions: Condition[]): DeleteQuery<TResult, E, TRow> {
    const where = addCondition(this.table, this.node.where, conditions, 'delete().where()');
    return new DeleteQuery(this.engine, this.table, { ...this.node, where }, this.force);
  }

  returning(): DeleteQuery<TRow[], E, TRow>;
  returning<S extends [AnyColumn, ...AnyColumn[]]>(...columns: S): DeleteQuery<RowOfColumns<S>[], E, TRow>;
  returning(...columns: AnyColumn[]): DeleteQuery<unknown, E, TRow> {
    return new DeleteQuery(this.engine, this.table, { ...this.node, returning: this.returningNodes(columns) }, this.force);
  }

  protected override validate(): void {
    if (this.node.where === undefined && !this.force) throw unfiltered('delete', this.table.name);
  }
}

function unfiltered(verb: 'update' | 'delete', table: string): PiccoError {
  return new PiccoError(
    PiccoErrorCode.UNFILTERED_MUTATION,
    `${verb}() on "${table}" has no where() and would change every row. ` +
      `Add .where(...), or pass { force: true } to ${verb}() if every row is meant.`,
  );
}
