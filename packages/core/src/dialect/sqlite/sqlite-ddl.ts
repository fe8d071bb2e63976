/**
 * SQLite's DDL: column types, the CHECK constraints that give SQLite's loose types Picco's
 * meaning, indexes, ALTER TABLE (in place, or a table rebuild: sqlite-rebuild.ts), and the
 * table-exists probe. Columns are written from their schema (`schema/table-schema.ts`), the one
 * place a column definition is written, for `createTable()`, `alter()` and migrations alike.
 */
import type { CompiledQuery } from '../../compiler/compiled-query.js';
import { quoteIdentifier, sqlLiteral } from '../../compiler/quote.js';
import type { AlterTableNode, CreateTableNode, DropTableNode, TableExistsNode } from '../../operation-node/nodes.js';
import type { ColumnType } from '../../schema/column-builder.js';
import { fromSchemaValue, type ColumnSchema, type TableSchema } from '../../schema/table-schema.js';
import { batchSql } from './sqlite-rebuild.js';
import { sqliteSchemaSteps } from './sqlite-schema-changes.js';

/**
 * What a condition or ORDER BY compares for a timestamp column. Timestamps are compared as
 * SQLite's canonical UTC text (`strftime` gives the very format Picco writes), so a row holding
 * SQLite's own `2022-01-01 21:00:00` (what CURRENT_TIMESTAMP writes) compares by its time,
 * not by its spelling (as text, " " sorts before "T"). The column's index is built on the same
 * expression so that SQLite still uses it.
 */
export function sqliteTimestampOperand(sql: string): string {
  return `strftime('%Y-%m-%dT%H:%M:%fZ', ${sql})`;
}

export function compileDropTable(node: DropTableNode): CompiledQuery {
  return {
    sql: `DROP TABLE ${node.ifExists ? 'IF EXISTS ' : ''}${node.table.quoted}`,
    params: [],
    mode: 'run',
    readOnly: false,
    safeIntegers: false,
    table: node.table.name,
  };
}

export function compileTableExists(node: TableExistsNode): CompiledQuery {
  return {
    sql: `SELECT EXISTS(SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?) AS "exists"`,
    params: [node.table.name],
    mode: 'all',
    readOnly: true,
    safeIntegers: false,
    table: node.table.name,
  };
}

export function compileCreateTable(node: CreateTableNode): CompiledQuery {
  const options = { ifNotExists: node.ifNotExists };
  const statements = [createTableSql(node.schema, options), ...createIndexStatements(node.schema, options)];
  return {
    sql: statements.join('; '),
    params: [],
    mode: statements.length === 1 ? 'run' : 'exec',
    readOnly: false,
    safeIntegers: false,
    table: node.table.name,
  };
}

/** One statement in place where SQLite's ALTER TABLE can; else a batch (a rebuild, or a column with its index). */
export function compileAlterTable(node: AlterTableNode): CompiledQuery {
  const steps = sqliteSchemaSteps([node.operation], new Map([[node.schema.name, node.schema]]));
  const table = node.table.name;
  const only = steps[0];
  if (steps.length === 1 && only?.kind === 'statement') return { sql: only.sql, params: [], mode: 'run', readOnly: false, safeIntegers: false, table };
  return { sql: batchSql(steps), params: [], mode: 'batch', readOnly: false, safeIntegers: false, table, batch: { steps } };
}

const SQL_TYPES: Record<ColumnType, string> = {
  serial: 'INTEGER',
  integer: 'INTEGER',
  smallint: 'INTEGER',
  bigint: 'INTEGER',
  real: 'REAL',
  double: 'REAL',
  date: 'TEXT',
  time: 'TEXT',
  uuid: 'TEXT',
  bytes: 'BLOB',
  numeric: 'INTEGER',
  text: 'TEXT',
  varchar: 'VARCHAR',
  boolean: 'INTEGER',
  timestamp: 'TEXT',
  json: 'TEXT',
  array: 'TEXT',
  foreignKey: 'INTEGER',
};

/** The declared type: a reference takes its key's (TEXT for a text key, not INTEGER). */
function sqlType(column: ColumnSchema): string {
  const type = column.references?.type ?? column.type;
  const length = column.references === undefined ? column.length : column.references.length;
  return type === 'varchar' ? `VARCHAR(${length})` : SQL_TYPES[type];
}

/** `"name" TYPE PRIMARY KEY NOT NULL UNIQUE DEFAULT ... CHECK (...) REFERENCES ...`. */
export function columnDefinitionSql(column: ColumnSchema): string {
  const quoted = quoteIdentifier(column.name);
  let sql = `${quoted} ${sqlType(column)}`;
  if (column.primaryKey) sql += ' PRIMARY KEY';
  // Primary keys too: SQLite lets a non-INTEGER PRIMARY KEY hold NULL (a legacy quirk). Only
  // serial, the rowid alias, is left bare; it can never be NULL.
  if (!column.nullable && column.type !== 'serial') sql += ' NOT NULL';
  if (column.unique && !column.primaryKey) sql += ' UNIQUE';
  if (column.default !== undefined) sql += ` DEFAULT ${sqlLiteral(fromSchemaValue(column.default))}`;
  if (column.type === 'boolean') sql += ` CHECK (${quoted} IN (0, 1))`;
  if (column.type === 'varchar') sql += ` CHECK (length(${quoted}) <= ${column.length})`;
  if (column.type === 'json') sql += ` CHECK (json_valid(${quoted}))`;
  if (column.type === 'array') sql += ` CHECK (json_type(${quoted}) = 'array')`;
  if (column.type === 'smallint') sql += ` CHECK (${quoted} BETWEEN -32768 AND 32767)`;
  if (column.type === 'date') sql += ` CHECK (${quoted} IS date(${quoted}))`;
  if (column.type === 'uuid') sql += ` CHECK (length(${quoted}) = 36)`;
  // NULL too: a nullable numeric column holds it (NOT NULL refuses it for the others).
  if (column.type === 'numeric') sql += ` CHECK (typeof(${quoted}) IN ('integer', 'null'))`;
  if (column.choices !== undefined) sql += ` CHECK (${quoted} IN (${column.choices.map((choice) => sqlLiteral(choice)).join(', ')}))`;
  if (column.references !== undefined) {
    sql += ` REFERENCES ${quoteIdentifier(column.references.table)} (${quoteIdentifier(column.references.column)})`;
    if (column.references.onDelete !== undefined) sql += ` ON DELETE ${column.references.onDelete.toUpperCase()}`;
  }
  return sql;
}

/** `CREATE TABLE` alone, optionally under another name (a rebuild's new table). */
export function createTableSql(table: TableSchema, options: { ifNotExists?: boolean; as?: string } = {}): string {
  const name = quoteIdentifier(options.as ?? table.name);
  return `CREATE TABLE ${options.ifNotExists === true ? 'IF NOT EXISTS ' : ''}${name} (${table.columns.map(columnDefinitionSql).join(', ')})`;
}

/** The `CREATE INDEX` statements of the table's indexed columns. */
export function createIndexStatements(table: TableSchema, options: { ifNotExists?: boolean } = {}): string[] {
  return table.columns.flatMap((column) => (column.index === undefined ? [] : [createIndexSql(table.name, { ...column, index: column.index }, options)]));
}

export function createIndexSql(table: string, column: ColumnSchema & { index: string }, options: { ifNotExists?: boolean } = {}): string {
  // A timestamp column is indexed on the expression its comparisons use (see `sqliteTimestampOperand`).
  const on = (column.references?.type ?? column.type) === 'timestamp' ? sqliteTimestampOperand(quoteIdentifier(column.name)) : quoteIdentifier(column.name);
  return `CREATE INDEX ${options.ifNotExists === true ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(column.index)} ON ${quoteIdentifier(table)} (${on})`;
}

export function dropIndexSql(name: string): string {
  return `DROP INDEX ${quoteIdentifier(name)}`;
}
