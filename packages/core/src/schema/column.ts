/**
 * A column bound to its table: `Band.popularity`. It names the column in queries and builds
 * conditions (`Band.popularity.gt(100)`): everything an `Expression` does.
 *
 * A foreign key column also leads to the referenced table's columns, Piccolo-style:
 * `Band.manager.name` is Manager's `name` reached through a LEFT JOIN on `Band.manager`, with
 * the result key `manager.name`; chains go deeper (`Concert.band1.manager.name`). A referenced
 * column whose name is also a member of `Column` (`key`, `eq`, `node`, ...) is reached through
 * `$`: `Band.manager.$.key`. `joinOn` joins from any column to any column.
 *
 * Helpers are module functions, not methods: every member of `Column` is a name that a
 * referenced column could no longer use directly.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ColumnRefNode, JoinedColumnNode, JoinStepNode } from '../operation-node/nodes.js';
import type { ColumnSpec } from './column-builder.js';
import { Expression } from './expression.js';
import { checkTarget, joinStep, ownerOf, referencedTable, type JoinableTable } from './join.js';

/**
 * The columns of a joined table, by key, usable in queries on `TTable`. Values are `unknown`
 * here (a foreign key's own type narrows them: `Band.manager.name` is a string).
 */
export type JoinedColumns<TTable extends string = string> = Readonly<Record<string, Column<unknown, boolean, string, TTable>>>;

export class Column<TValue = unknown, TNullable extends boolean = boolean, TKey extends string = string, TTable extends string = string> extends Expression<
  TValue,
  TNullable,
  TKey,
  TTable
> {
  declare readonly node: ColumnRefNode | JoinedColumnNode;

  constructor(
    /** The table whose queries may use this column (for a joined column, where the join starts). */
    readonly tableName: TTable,
    key: TKey,
    node: ColumnRefNode | JoinedColumnNode,
  ) {
    super(node, key);
  }

  get spec(): ColumnSpec {
    return baseNode(this).spec;
  }

  /** The referenced table's columns, joined (see the file comment). Only for foreign keys. */
  get $(): JoinedColumns<TTable> {
    const table = referencedTable(baseNode(this));
    if (table === undefined) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `"${this.tableName}.${this.key}" is not a foreign key: only foreign keys lead to another table's columns. Use joinOn() to join on other columns.`,
      );
    }
    const base = baseNode(this);
    checkTarget(ownerOf(base)?.ref.name ?? this.tableName, base, table);
    return joinedColumnsOf(this, table, base.spec.targetColumn ?? table.primaryKey ?? 'rowid') as JoinedColumns<TTable>;
  }

  /**
   * Every column of the referenced table but its secret ones, joined:
   * `Band.select(Band.name, Band.manager.allColumns())`; `{ exclude: [Band.manager.id] }`
   * leaves some out, `{ includeSecrets: true }` adds the secret ones.
   */
  allColumns(options: { exclude?: readonly AnyColumn[]; includeSecrets?: boolean } = {}): Column<unknown, boolean, string, TTable>[] {
    if (options === null || typeof options !== 'object') {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `allColumns() takes options { exclude?: [columns], includeSecrets?: boolean }.`);
    }
    const all = Object.values(this.$);
    const columns = options.includeSecrets === true ? all : all.filter((column) => column.spec.secret !== true);
    const exclude = options.exclude;
    if (exclude !== undefined && (!Array.isArray(exclude) || exclude.some((column) => !columns.includes(column as Column<unknown, boolean, string, TTable>)))) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `allColumns({ exclude }) takes columns of the joined table that it would return, for example ${this.tableName}.${this.key}.allColumns({ exclude: [${this.tableName}.${this.key}.id] }).`);
    }
    return exclude === undefined || exclude.length === 0 ? columns : columns.filter((column) => !exclude.includes(column));
  }

  /**
   * The table holding this foreign key, joined from the table it references (Piccolo's
   * `reverse()`): `Band.select(Band.name, FanClub.band.reverse().address)` reads each band's
   * fan club, with the result key `fan_club.address`. A LEFT JOIN: a band without a fan club
   * reads `null`, and one with several comes back once per fan club (make the foreign key
   * `unique()` for a one-to-one link). Only for a foreign key of a table's own columns.
   */
  reverse(this: never): JoinedColumns;
  reverse(): JoinedColumns {
    const node = this.node;
    const referenced = node.kind === 'column' ? referencedTable(node) : undefined;
    const owner = node.kind === 'column' ? ownerOf(node) : undefined;
    if (node.kind !== 'column' || referenced === undefined || owner === undefined) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `reverse() starts from a foreign key of a table's own columns, for example FanClub.band.reverse(); ${this.describeSelf()} is ${node.kind === 'column' ? 'not a foreign key' : 'a joined column'}.`,
      );
    }
    checkTarget(owner.ref.name, node, referenced);
    const key = node.spec.targetColumn ?? referenced.primaryKey;
    const from = key === undefined ? undefined : referenced.columns.get(key);
    if (from === undefined) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `reverse() of ${this.describeSelf()} needs "${referenced.ref.name}" to have a primary key column to join from; it has only SQLite's rowid. Give it one (id: serial()).`,
      );
    }
    return columnsOfStep(referenced.ref.name, joinStep(undefined, from, owner.ref.name, owner, node.key));
  }

  /**
   * Joins another table on `this = target` (Piccolo's `join_on`), for columns that are not
   * foreign keys: `Concert.bandName.joinOn(Band.name).popularity`. A LEFT JOIN: rows without a
   * match read `null`.
   */
  joinOn(target: AnyColumn): JoinedColumns<TTable> {
    const targetNode = target instanceof Column ? target.node : undefined;
    const owner = targetNode?.kind === 'column' ? ownerOf(targetNode) : undefined;
    if (targetNode?.kind !== 'column' || owner === undefined) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `joinOn() takes a column of a table made by defineTable, for example Concert.bandName.joinOn(Band.name).`);
    }
    return joinedColumnsOf(this, owner, targetNode.key) as JoinedColumns<TTable>;
  }

  protected override describeSelf(): string {
    return `"${this.tableName}.${this.key}"`;
  }
}

export type AnyColumn = Column<any, boolean, string, string>;

/** A column's own node: the column itself, or for a joined column the column of the joined table. */
function baseNode(column: AnyColumn): ColumnRefNode {
  return column.node.kind === 'column' ? column.node : column.node.column;
}

function stepOf(column: AnyColumn): JoinStepNode | undefined {
  return column.node.kind === 'joined-column' ? column.node.step : undefined;
}

const joinedColumnCache = new WeakMap<JoinStepNode, JoinedColumns>();

/** The columns of `table` joined on `from = table.toKey`, made once per join step. */
function joinedColumnsOf(from: AnyColumn, table: JoinableTable, toKey: string): JoinedColumns {
  return columnsOfStep(from.tableName, joinStep(stepOf(from), baseNode(from), from.key, table, toKey));
}

/** The columns a join step reaches, for queries on `tableName`, made once per step. */
function columnsOfStep(tableName: string, step: JoinStepNode): JoinedColumns {
  let columns = joinedColumnCache.get(step);
  if (columns === undefined) {
    const made: Record<string, AnyColumn> = {};
    for (const [key, column] of step.columns) {
      const node: JoinedColumnNode = { kind: 'joined-column', step, column, key: `${step.path}.${key}` };
      made[key] = makeColumn(tableName, node.key, node);
    }
    columns = Object.freeze(made);
    joinedColumnCache.set(step, columns);
  }
  return columns;
}

/**
 * A column object for `node`: a plain `Column`, or for a foreign key one whose other
 * properties lead to the referenced table's columns (`Band.manager.name`).
 */
export function makeColumn(tableName: string, key: string, node: ColumnRefNode | JoinedColumnNode): AnyColumn {
  const column = new Column(tableName, key, node);
  if (baseNode(column).spec.type !== 'foreignKey') return column;
  // The referenced table may be defined after this one: its columns are looked up at first use,
  // then kept (a hot query reads `Posts.user.name` on every call).
  let joined: JoinedColumns | undefined;
  return new Proxy(column, {
    get(target, property, receiver) {
      if (typeof property !== 'string' || property in target) return Reflect.get(target, property, receiver);
      if (joined === undefined) {
        if (referencedTable(baseNode(target)) === undefined) return undefined;
        joined = target.$;
      }
      return Object.hasOwn(joined, property) ? joined[property] : undefined;
    },
  });
}
