/**
 * SQLite's DDL: column types, the CHECK constraints that give SQLite's loose types Picco's
 * meaning, indexes, ALTER TABLE, and the table-exists probe.
 */
import type { CompiledQuery } from '../../compiler/compiled-query.js';
import { indexName } from '../../compiler/index-name.js';
import { quoteIdentifier, sqlLiteral } from '../../compiler/quote.js';
import type { AlterTableNode, ColumnDefinitionNode, ColumnRefNode, CreateTableNode, DropTableNode, TableExistsNode } from '../../operation-node/nodes.js';
import { valueSpec } from '../../schema/column-builder.js';

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
  const definitions = node.columns.map(compileColumnDefinition);
  const statements = [`CREATE TABLE ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${node.table.quoted} (${definitions.join(', ')})`];
  for (const definition of node.columns) {
    if (!definition.column.spec.index) continue;
    const name = quoteIdentifier(indexName(node.table.name, definition.column.key));
    // A timestamp column is indexed on the expression its comparisons use (see `operand`).
    statements.push(`CREATE INDEX ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${name} ON ${node.table.quoted} (${operand(definition.column)})`);
  }
  return {
    sql: statements.join('; '),
    params: [],
    mode: statements.length === 1 ? 'run' : 'exec',
    readOnly: false,
    safeIntegers: false,
    table: node.table.name,
  };
}


/** A timestamp column is indexed on the expression its comparisons use (see `sqliteTimestampOperand`). */
function operand(column: ColumnRefNode): string {
  return valueSpec(column.spec).type === 'timestamp' ? sqliteTimestampOperand(column.quoted) : column.quoted;
}

export function compileAlterTable(node: AlterTableNode): CompiledQuery {
  return { sql: alterTableSql(node), params: [], mode: 'run', readOnly: false, safeIntegers: false, table: node.table.name };
}

function alterTableSql(node: AlterTableNode): string {
  const table = `ALTER TABLE ${node.table.quoted}`;
  switch (node.action) {
    case 'add-column':
      return `${table} ADD COLUMN ${compileColumnDefinition(node.definition)}`;
    case 'drop-column':
      return `${table} DROP COLUMN ${quoteIdentifier(node.column)}`;
    case 'rename-column':
      return `${table} RENAME COLUMN ${quoteIdentifier(node.column)} TO ${quoteIdentifier(node.to)}`;
    case 'rename-table':
      return `${table} RENAME TO ${quoteIdentifier(node.to)}`;
  }
}

const SQL_TYPES = {
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
} as const;

function compileColumnDefinition(definition: ColumnDefinitionNode): string {
  const { column, references } = definition;
  const { spec } = column;
  // A foreign key takes the SQL type of the key it references (TEXT for a text key, not INTEGER).
  const typed = valueSpec(spec);
  let sql = `${column.quoted} ${typed.type === 'varchar' ? `VARCHAR(${typed.length})` : SQL_TYPES[typed.type]}`;
  if (spec.primaryKey) sql += ' PRIMARY KEY';
  // Primary keys too: SQLite lets a non-INTEGER PRIMARY KEY hold NULL (a legacy quirk). Only
  // serial, the rowid alias, is left bare; it can never be NULL.
  if (!spec.nullable && spec.type !== 'serial') sql += ' NOT NULL';
  if (spec.unique && !spec.primaryKey) sql += ' UNIQUE';
  if (definition.defaultValue !== undefined) sql += ` DEFAULT ${sqlLiteral(definition.defaultValue)}`;
  if (spec.type === 'boolean') sql += ` CHECK (${column.quoted} IN (0, 1))`;
  if (spec.type === 'varchar') sql += ` CHECK (length(${column.quoted}) <= ${spec.length})`;
  if (spec.type === 'json') sql += ` CHECK (json_valid(${column.quoted}))`;
  if (spec.type === 'array') sql += ` CHECK (json_type(${column.quoted}) = 'array')`;
  if (spec.type === 'smallint') sql += ` CHECK (${column.quoted} BETWEEN -32768 AND 32767)`;
  if (spec.type === 'date') sql += ` CHECK (${column.quoted} IS date(${column.quoted}))`;
  if (spec.type === 'uuid') sql += ` CHECK (length(${column.quoted}) = 36)`;
  // NULL too: a nullable numeric column holds it (NOT NULL refuses it for the others).
  if (spec.type === 'numeric') sql += ` CHECK (typeof(${column.quoted}) IN ('integer', 'null'))`;
  if (spec.choices !== undefined) sql += ` CHECK (${column.quoted} IN (${spec.choices.map((choice) => sqlLiteral(choice)).join(', ')}))`;
  if (references !== undefined) {
    sql += ` REFERENCES ${references.table.quoted} (${quoteIdentifier(references.column)})`;
    if (spec.onDelete !== undefined) sql += ` ON DELETE ${spec.onDelete.toUpperCase()}`;
  }
  return sql;
}
