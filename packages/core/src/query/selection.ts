/**
 * What `select(...)` selects: the table's own columns (a `columns` selection, compiled as
 * before), or anything else as `items`, each with its result key.
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ColumnRefNode, SelectionNode, SelectItemNode } from '../operation-node/nodes.js';
import { Column } from '../schema/column.js';
import { Expression } from '../schema/expression.js';
import type { TableInfo } from '../schema/table-info.js';

/**
 * The selection for these arguments, remembered per table and sequence of argument objects
 * (columns and joined columns are made once, `as()` once per key): a query built in a loop
 * gets the same selection node each time, so its decoders and shape are found, not rebuilt.
 */
export function selectionOf(table: TableInfo, given: readonly unknown[]): SelectionNode {
  // Lists (`Band.manager.allColumns()`) are spread in place.
  const flat = given.some(Array.isArray) ? given.flatMap((item) => (Array.isArray(item) ? (item as unknown[]) : [item])) : given;
  let trie = selectionTries.get(table);
  if (trie === undefined) selectionTries.set(table, (trie = { root: { next: undefined, selection: undefined }, size: 0 }));
  let node: SelectionTrieNode | undefined = trie.root;
  for (const item of flat) {
    let child: SelectionTrieNode | undefined = node.next?.get(item);
    if (child === undefined) {
      if (trie.size >= MAX_REMEMBERED_SELECTIONS) return buildSelection(table, flat);
      child = { next: undefined, selection: undefined };
      (node.next ??= new Map()).set(item, child);
      trie.size++;
    }
    node = child;
  }
  return (node.selection ??= buildSelection(table, flat));
}

interface SelectionTrieNode {
  next: Map<unknown, SelectionTrieNode> | undefined;
  selection: SelectionNode | undefined;
}

const selectionTries = new WeakMap<TableInfo, { readonly root: SelectionTrieNode; size: number }>();
const MAX_REMEMBERED_SELECTIONS = 1024;

function buildSelection(table: TableInfo, flat: readonly unknown[]): SelectionNode {
  if (flat.length === 0) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `select() on "${table.name}" got an empty list of columns. Pass columns, or call select() with none for every column.`);
  }
  if (flat.every((item) => isOwnPlainColumn(table, item))) {
    return { kind: 'columns', columns: flat.map((item) => (item as Column).node as ColumnRefNode) };
  }
  const keys = new Set<string>();
  const items = flat.map((item): SelectItemNode => {
    // A column of another table keeps the message that lists this table's columns.
    if (!(item instanceof Expression) || (item instanceof Column && item.node.kind === 'column' && !table.owns(item.node))) {
      table.columnNode(item as Column, 'select()');
    }
    const expression = item as Expression;
    if (expression.key === '') {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `select() on "${table.name}" got an expression without a result key. Name it with .as('name'), for example Band.popularity.plus(1).as('next').`,
      );
    }
    if (keys.has(expression.key)) {
      throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `select() on "${table.name}" would return two values under the key "${expression.key}". Rename one with .as('otherName').`);
    }
    keys.add(expression.key);
    table.checkExpression(expression.node, 'select()');
    return { expression: expression.node, key: expression.key };
  });
  return { kind: 'items', items };
}

/** A column of the table itself, under its own name (what the plain `columns` selection holds). */
function isOwnPlainColumn(table: TableInfo, item: unknown): boolean {
  return item instanceof Column && item.node.kind === 'column' && item.key === item.node.key && table.owns(item.node);
}
