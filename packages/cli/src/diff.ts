/**
 * The operations that turn one schema into another: what `migrations new --auto` writes.
 * Renames are never guessed: a table or column that disappears while another appears is a drop
 * and an add unless `--rename` says otherwise (and the result says which renames it might be).
 */
import { applyOperation, inverseOperation, PiccoError, PiccoErrorCode, sameColumn, type ColumnSchema, type SchemaOperation, type SchemaState, type SchemaValue, type TableSchema } from '@picco/core';

export interface Renames {
  /** Old table name -> new. */
  readonly tables: ReadonlyMap<string, string>;
  /** `table.old` (the table's new name) -> new column name. */
  readonly columns: ReadonlyMap<string, string>;
}

export interface SchemaDiff {
  readonly operations: SchemaOperation[];
  /** Things the user should look at (a possible rename, a NOT NULL column existing rows need a value for). */
  readonly notes: string[];
}

/** `band.name=title` (a column) or `band=bands` (a table). */
export function parseRenames(values: readonly string[]): Renames {
  const tables = new Map<string, string>();
  const columns = new Map<string, string>();
  for (const value of values) {
    const match = /^([^=.]+)(?:\.([^=]+))?=(.+)$/.exec(value);
    if (match === null) {
      throw new PiccoError(PiccoErrorCode.INVALID_OPTION, `--rename takes table.old_column=new_column or old_table=new_table, got ${JSON.stringify(value)}.`);
    }
    const [, table, column, to] = match as unknown as [string, string, string | undefined, string];
    if (column === undefined) tables.set(table, to);
    else columns.set(`${table}.${column}`, to);
  }
  return { tables, columns };
}

export function diffSchemas(before: SchemaState, after: SchemaState, renames: Renames): SchemaDiff {
  const operations: SchemaOperation[] = [];
  const notes: string[] = [];
  let state = before;
  const add = (operation: SchemaOperation): void => {
    state = applyOperation(state, operation);
    operations.push(operation);
  };

  for (const [from, to] of renames.tables) {
    if (!before.has(from)) throw renameError(`--rename ${from}=${to}: there is no table "${from}" in the migrations' schema.`);
    if (!after.has(to)) throw renameError(`--rename ${from}=${to}: there is no table "${to}" among the config's tables.`);
    add({ op: 'renameTable', from, to });
  }
  for (const [key, to] of renames.columns) {
    const [table, from] = splitKey(key);
    const current = state.get(table);
    if (current === undefined || !current.columns.some((column) => column.name === from)) {
      throw renameError(`--rename ${key}=${to}: the migrations' schema has no column "${from}" in a table "${table}".`);
    }
    if (!after.get(table)?.columns.some((column) => column.name === to)) throw renameError(`--rename ${key}=${to}: the config's table "${table}" has no column "${to}".`);
    add({ op: 'renameColumn', table, from, to });
  }

  for (const table of foreignKeyOrder([...after.values()])) if (!state.has(table.name)) add({ op: 'createTable', table });

  for (const table of after.values()) {
    const old = state.get(table.name);
    if (old === undefined || operations.some((operation) => operation.op === 'createTable' && operation.table.name === table.name)) continue;
    const added = table.columns.filter((column) => !old.columns.some((existing) => existing.name === column.name));
    const dropped = old.columns.filter((column) => !table.columns.some((kept) => kept.name === column.name));
    for (const column of table.columns) {
      const existing = old.columns.find((candidate) => candidate.name === column.name);
      if (existing !== undefined && !sameColumn(existing, column)) add({ op: 'alterColumn', table: table.name, from: existing, to: column });
    }
    for (const column of added) {
      add({ op: 'addColumn', table: table.name, column });
      if (!column.nullable && column.default === undefined && column.type !== 'serial') {
        notes.push(`${table.name}.${column.name} is NOT NULL without a default: if the table has rows, give its addColumn a "fill" (the value existing rows get, such as '' or 0) or the migration fails.`);
      }
    }
    for (const column of dropped) {
      const position = state.get(table.name)!.columns.findIndex((candidate) => candidate.name === column.name);
      add({ op: 'dropColumn', table: table.name, column, position });
    }
    if (added.length > 0 && dropped.length > 0) {
      const pairs = dropped.flatMap((from) => added.map((to) => `--rename ${table.name}.${from.name}=${to.name}`));
      notes.push(`${table.name}: ${dropped.map((column) => column.name).join(', ')} dropped and ${added.map((column) => column.name).join(', ')} added. If a column was renamed, its values are lost this way: delete this file and run again with ${pairs.join(' or ')}.`);
    }
  }

  const removed = [...state.values()].filter((table) => !after.has(table.name));
  for (const table of foreignKeyOrder(removed).reverse()) add({ op: 'dropTable', table });
  if (removed.length > 0 && operations.some((operation) => operation.op === 'createTable')) {
    notes.push(`Tables dropped (${removed.map((table) => table.name).join(', ')}) while others were created: if one was renamed, delete this file and run again with --rename old_table=new_table.`);
  }
  return { operations, notes };
}

/**
 * The operations that undo `operations`, in reverse order. A column that comes back NOT NULL (a
 * dropped one re-added, or one made nullable made NOT NULL again) gets a neutral `fill` for the
 * rows that have no value: its old values are gone either way.
 */
export function downOperations(operations: readonly SchemaOperation[]): SchemaOperation[] {
  return operations
    .map((operation): SchemaOperation => {
      const inverse = inverseOperation(operation);
      if (inverse.op === 'addColumn') {
        const fill = neutralFill(inverse.column);
        return fill === undefined ? inverse : { ...inverse, fill };
      }
      if (inverse.op === 'alterColumn' && inverse.from.nullable) {
        const fill = neutralFill(inverse.to);
        return fill === undefined ? inverse : { ...inverse, fill };
      }
      return inverse;
    })
    .reverse();
}

/** A value (as stored) a NOT NULL column without a default can take in rows that had none (the column's data is gone). */
function neutralFill(column: ColumnSchema): SchemaValue | undefined {
  if (column.nullable || column.default !== undefined || column.primaryKey || column.unique || column.references !== undefined) return undefined;
  if (column.choices !== undefined) return column.choices[0];
  switch (column.type) {
    case 'integer':
    case 'smallint':
    case 'real':
    case 'double':
    case 'boolean':
      return 0;
    case 'bigint':
    case 'numeric':
      return { bigint: '0' };
    case 'text':
    case 'varchar':
      return '';
    case 'time':
      return '00:00';
    case 'date':
      return '1970-01-01';
    case 'timestamp':
      return '1970-01-01T00:00:00.000Z';
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
    case 'json':
      return 'null';
    case 'bytes':
      return { bytes: '' };
    default:
      return undefined;
  }
}

/** Tables ordered so that each comes after those it references (cycles keep their given order). */
function foreignKeyOrder(tables: readonly TableSchema[]): TableSchema[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: TableSchema[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: TableSchema): void => {
    if (state.has(table.name)) return;
    state.set(table.name, 'visiting');
    for (const column of table.columns) {
      const referenced = column.references === undefined ? undefined : byName.get(column.references.table);
      if (referenced !== undefined && referenced !== table) visit(referenced);
    }
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const table of tables) visit(table);
  return ordered;
}

function splitKey(key: string): [string, string] {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

function renameError(message: string): PiccoError {
  return new PiccoError(PiccoErrorCode.INVALID_OPTION, message);
}
