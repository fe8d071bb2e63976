/**
 * Schema operations: one change to a database's tables, as plain data (what a migration file
 * lists), and how each one changes a `SchemaState` (the tables, by name, in creation order).
 * Replaying a list of operations from an empty state gives the schema they produce, which is
 * what a migration's SQL is compiled against (see compiler/schema-changes.ts for SQLite).
 */
import { PiccoError, PiccoErrorCode } from '../errors.js';
import type { ColumnSchema, SchemaValue, TableSchema } from './table-schema.js';

export type SchemaOperation =
  | { readonly op: 'createTable'; readonly table: TableSchema }
  /** Keeps the whole table, so that the operation can be undone. */
  | { readonly op: 'dropTable'; readonly table: TableSchema }
  | { readonly op: 'renameTable'; readonly from: string; readonly to: string }
  /**
   * `fill`: the value existing rows get, as stored (a NOT NULL column without a default needs one
   * when the table has rows). `position`: where the column goes among the others (0 is first); absent,
   * it goes last. Undoing a drop puts the column back where it was.
   */
  | { readonly op: 'addColumn'; readonly table: string; readonly column: ColumnSchema; readonly fill?: SchemaValue; readonly position?: number }
  /** Keeps the whole column and where it was, so that the operation can be undone exactly. */
  | { readonly op: 'dropColumn'; readonly table: string; readonly column: ColumnSchema; readonly position?: number }
  | { readonly op: 'renameColumn'; readonly table: string; readonly from: string; readonly to: string }
  /** `from` -> `to` keeps the column's name; `fill` replaces NULLs when it becomes NOT NULL. */
  | { readonly op: 'alterColumn'; readonly table: string; readonly from: ColumnSchema; readonly to: ColumnSchema; readonly fill?: SchemaValue };

/** Tables by name, in the order they were created. */
export type SchemaState = ReadonlyMap<string, TableSchema>;

/** The state after `operation`; refuses an operation that does not fit the state (a stale or edited migration). */
export function applyOperation(state: SchemaState, operation: SchemaOperation): SchemaState {
  const next = new Map(state);
  switch (operation.op) {
    case 'createTable':
      if (next.has(operation.table.name)) throw misfit(operation, `table "${operation.table.name}" exists already`);
      next.set(operation.table.name, operation.table);
      return next;
    case 'dropTable':
      tableIn(state, operation.table.name, operation);
      next.delete(operation.table.name);
      return next;
    case 'renameTable': {
      const table = tableIn(state, operation.from, operation);
      if (next.has(operation.to)) throw misfit(operation, `table "${operation.to}" exists already`);
      // Keep the creation order: the renamed table takes the old one's place.
      return new Map([...state].map(([name, schema]) => (name === operation.from ? [operation.to, { ...table, name: operation.to }] : [name, renameReferences(schema, operation.from, operation.to)])));
    }
    case 'addColumn': {
      const table = tableIn(state, operation.table, operation);
      if (table.columns.some((column) => column.name === operation.column.name)) throw misfit(operation, `"${operation.table}" has a column "${operation.column.name}" already`);
      const position = operation.position ?? table.columns.length;
      if (!Number.isSafeInteger(position) || position < 0 || position > table.columns.length) throw misfit(operation, `position ${position} is outside "${operation.table}"'s ${table.columns.length} columns`);
      next.set(table.name, { ...table, columns: [...table.columns.slice(0, position), operation.column, ...table.columns.slice(position)] });
      return next;
    }
    case 'dropColumn': {
      const table = tableIn(state, operation.table, operation);
      columnIn(table, operation.column.name, operation);
      next.set(table.name, { ...table, columns: table.columns.filter((column) => column.name !== operation.column.name) });
      return next;
    }
    case 'renameColumn': {
      const table = tableIn(state, operation.table, operation);
      columnIn(table, operation.from, operation);
      if (table.columns.some((column) => column.name === operation.to)) throw misfit(operation, `"${operation.table}" has a column "${operation.to}" already`);
      next.set(table.name, { ...table, columns: table.columns.map((column) => (column.name === operation.from ? { ...column, name: operation.to } : column)) });
      return next;
    }
    case 'alterColumn': {
      const table = tableIn(state, operation.table, operation);
      columnIn(table, operation.from.name, operation);
      if (operation.to.name !== operation.from.name) throw misfit(operation, `alterColumn keeps the column's name ("${operation.from.name}"); rename it with renameColumn`);
      next.set(table.name, { ...table, columns: table.columns.map((column) => (column.name === operation.from.name ? operation.to : column)) });
      return next;
    }
  }
}

/** The state `operations` produce from `state` (an empty one by default). */
export function replayOperations(operations: readonly SchemaOperation[], state: SchemaState = new Map()): SchemaState {
  return operations.reduce(applyOperation, state);
}

/** The operation that undoes `operation` (applied to the state `operation` produced). */
export function inverseOperation(operation: SchemaOperation): SchemaOperation {
  switch (operation.op) {
    case 'createTable':
      return { op: 'dropTable', table: operation.table };
    case 'dropTable':
      return { op: 'createTable', table: operation.table };
    case 'renameTable':
      return { op: 'renameTable', from: operation.to, to: operation.from };
    case 'addColumn':
      return { op: 'dropColumn', table: operation.table, column: operation.column, ...(operation.position === undefined ? {} : { position: operation.position }) };
    case 'dropColumn':
      return { op: 'addColumn', table: operation.table, column: operation.column, ...(operation.position === undefined ? {} : { position: operation.position }) };
    case 'renameColumn':
      return { op: 'renameColumn', table: operation.table, from: operation.to, to: operation.from };
    case 'alterColumn':
      return { op: 'alterColumn', table: operation.table, from: operation.to, to: operation.from };
  }
}

/** What the operation does, in a few words (`add column band.rating`). */
export function describeOperation(operation: SchemaOperation): string {
  switch (operation.op) {
    case 'createTable':
      return `create table ${operation.table.name}`;
    case 'dropTable':
      return `drop table ${operation.table.name}`;
    case 'renameTable':
      return `rename table ${operation.from} to ${operation.to}`;
    case 'addColumn':
      return `add column ${operation.table}.${operation.column.name}`;
    case 'dropColumn':
      return `drop column ${operation.table}.${operation.column.name}`;
    case 'renameColumn':
      return `rename column ${operation.table}.${operation.from} to ${operation.to}`;
    case 'alterColumn':
      return `alter column ${operation.table}.${operation.from.name}`;
  }
}

/** A renamed table's name in the foreign keys of the other tables (SQLite rewrites them on RENAME too). */
function renameReferences(table: TableSchema, from: string, to: string): TableSchema {
  if (!table.columns.some((column) => column.references?.table === from)) return table;
  return { ...table, columns: table.columns.map((column) => (column.references?.table === from ? { ...column, references: { ...column.references, table: to } } : column)) };
}

function tableIn(state: SchemaState, name: string, operation: SchemaOperation): TableSchema {
  const table = state.get(name);
  if (table === undefined) throw misfit(operation, `there is no table "${name}" at that point`);
  return table;
}

function columnIn(table: TableSchema, name: string, operation: SchemaOperation): ColumnSchema {
  const column = table.columns.find((candidate) => candidate.name === name);
  if (column === undefined) throw misfit(operation, `"${table.name}" has no column "${name}" at that point`);
  return column;
}

function misfit(operation: SchemaOperation, reason: string): PiccoError {
  return new PiccoError(PiccoErrorCode.INVALID_QUERY, `Schema operation "${describeOperation(operation)}" does not fit the schema before it: ${reason}.`);
}
