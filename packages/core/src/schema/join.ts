/**
 * Join paths: which table a column belongs to, which table a foreign key references, and the
 * one `JoinStepNode` per path (made once and reused, so a join's identity is stable for the
 * shape cache and its alias is the path: `manager`, `band1.manager`).
 */
import { quoteIdentifier } from '../compiler/quote.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ColumnRefNode, JoinStepNode, TableRefNode } from '../operation-node/nodes.js';

/** What a join needs to know of a table. */
export interface JoinableTable {
  readonly ref: TableRefNode;
  readonly columns: ReadonlyMap<string, ColumnRefNode>;
  readonly primaryKey: string | undefined;
}

const owners = new WeakMap<ColumnRefNode, JoinableTable>();

/** Records which table owns each column node (called once per table by `TableInfo`). */
export function registerColumns(table: JoinableTable): void {
  for (const column of table.columns.values()) owners.set(column, table);
}

export function ownerOf(column: ColumnRefNode): JoinableTable | undefined {
  return owners.get(column);
}

/** The table a foreign key column references, resolved at first use (it may be defined later). */
export function referencedTable(column: ColumnRefNode): JoinableTable | undefined {
  const table = column.spec.references?.() as { $info?: JoinableTable } | undefined;
  return table?.$info;
}

/** The step joining `table` on `from = table.toKey`, after `parent`; `path` is the result-key prefix. */
export function joinStep(parent: JoinStepNode | undefined, from: ColumnRefNode, path: string, table: JoinableTable, toKey: string): JoinStepNode {
  let byParent = stepCache.get(from);
  if (byParent === undefined) stepCache.set(from, (byParent = new Map()));
  let byTable = byParent.get(parent);
  if (byTable === undefined) byParent.set(parent, (byTable = new Map()));
  let byTarget = byTable.get(table.ref);
  if (byTarget === undefined) byTable.set(table.ref, (byTarget = new Map()));
  // The path is part of the key: `Band.id.joinOn(FanClub.band)` and `FanClub.band.reverse()`
  // join alike but name their columns differently (`id.address`, `fan_club.address`).
  const key = `${toKey}\u0000${path}`;
  let step = byTarget.get(key);
  if (step === undefined) {
    step = { kind: 'join-step', from, table: table.ref, columns: table.columns, toQuoted: table.columns.get(toKey)?.quoted ?? quoteIdentifier(toKey), parent, path };
    byTarget.set(key, step);
  }
  return step;
}

const stepCache = new WeakMap<ColumnRefNode, Map<JoinStepNode | undefined, Map<TableRefNode, Map<string, JoinStepNode>>>>();

/** The chain of steps from the query's table to `step`, first step first. */
export function stepChain(step: JoinStepNode): JoinStepNode[] {
  const chain: JoinStepNode[] = [];
  for (let current: JoinStepNode | undefined = step; current !== undefined; current = current.parent) chain.unshift(current);
  return chain;
}

/**
 * A foreign key's target must be a column of the referenced table that SQLite accepts as a
 * parent key: its primary key, or a UNIQUE column (else every write fails with SQLite's
 * "foreign key mismatch", and a join on it could repeat rows).
 */
export function checkTarget(tableName: string, column: ColumnRefNode, referenced: JoinableTable): void {
  const key = column.spec.targetColumn;
  if (key === undefined) return;
  const target = referenced.columns.get(key);
  if (target === undefined) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `foreignKey "${tableName}.${column.key}" targets "${key}", which is not a column of "${referenced.ref.name}" (its columns are: ${[...referenced.columns.keys()].join(', ')}).`,
    );
  }
  if (!target.spec.unique && !target.spec.primaryKey) {
    throw new PiccoError(
      PiccoErrorCode.INVALID_QUERY,
      `foreignKey "${tableName}.${column.key}" targets "${referenced.ref.name}.${key}", which is neither unique nor the primary key; SQLite refuses every write through such a key. Make "${key}" unique().`,
    );
  }
}
