/**
 * PostgreSQL's DDL: Picco's column types as PostgreSQL's own (identity, boolean, timestamptz,
 * jsonb, uuid, numeric(p, s), bytea, date, time, varchar(n)), which check their values
 * themselves, so only `choices` needs a CHECK. Defaults are literals of the column's type.
 */
import type { CompiledQuery } from '../../compiler/compiled-query.js';
import { quoteIdentifier, sqlLiteral } from '../../compiler/quote.js';
import { PiccoError, PiccoErrorCode } from '../../errors.js';
import type { AlterTableNode, CreateTableNode, DropTableNode, TableExistsNode } from '../../operation-node/nodes.js';
import type { ColumnSpec, ColumnType } from '../../schema/column-builder.js';
import { fromSchemaValue, type ColumnSchema } from '../../schema/table-schema.js';
import { postgresSchemaSteps } from './postgres-schema-changes.js';
import { decimalFromUnits } from '../../schema/values.js';

export function compileDropTable(node: DropTableNode): CompiledQuery {
  return ddl(`DROP TABLE ${node.ifExists ? 'IF EXISTS ' : ''}${node.table.quoted}`, node.table.name);
}

/** A table of the connection's current schema (its search_path's first), as SQLite's main database. */
export function compileTableExists(node: TableExistsNode): CompiledQuery {
  return {
    sql: `SELECT EXISTS(SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1) AS "exists"`,
    params: [node.table.name],
    mode: 'all',
    readOnly: true,
    safeIntegers: false,
    table: node.table.name,
  };
}

export function compileCreateTable(node: CreateTableNode): CompiledQuery {
  const table = node.schema;
  const definitions = table.columns.map((column) => columnDefinition(column, table.name));
  const statements = [`CREATE TABLE ${node.ifNotExists ? 'IF NOT EXISTS ' : ''}${node.table.quoted} (${definitions.join(', ')})`];
  for (const column of table.columns) {
    if (column.index !== undefined) statements.push(createIndex(table.name, column.name, column.index, node.ifNotExists));
  }
  return { ...ddl(statements.join('; '), node.table.name), mode: statements.length === 1 ? 'run' : 'exec' };
}

/** ALTER TABLE makes every change in place on PostgreSQL: one statement, or a batch (one transaction) of several. */
export function compileAlterTable(node: AlterTableNode): CompiledQuery {
  const steps = postgresSchemaSteps([node.operation], new Map([[node.schema.name, node.schema]]));
  const only = steps[0];
  if (steps.length === 1 && only?.kind === 'statement') return ddl(only.sql, node.table.name);
  return { sql: ['BEGIN', ...steps.map((step) => (step.kind === 'statement' ? step.sql : '')), 'COMMIT'].join(';\n'), params: [], mode: 'batch', readOnly: false, safeIntegers: false, table: node.table.name, batch: { steps } };
}

export function createIndex(table: string, column: string, name: string, ifNotExists: boolean): string {
  return `CREATE INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(name)} ON ${quoteIdentifier(table)} (${quoteIdentifier(column)})`;
}

function ddl(sql: string, table: string): CompiledQuery {
  return { sql, params: [], mode: 'run', readOnly: false, safeIntegers: false, table };
}

/**
 * Integers are `integer` (int4), as in Piccolo and Drizzle: a value past 2^31 - 1 is refused by
 * the server (SQLSTATE 22003) where SQLite would store it; use bigint() for those. `real` is a
 * double, as SQLite's REAL is: a JavaScript number comes back the same on both engines.
 */
const SQL_TYPES: Record<Exclude<ColumnType, 'varchar' | 'numeric' | 'foreignKey'>, string> = {
  serial: 'integer',
  integer: 'integer',
  smallint: 'smallint',
  bigint: 'bigint',
  real: 'double precision',
  double: 'double precision',
  date: 'date',
  time: 'time',
  uuid: 'uuid',
  bytes: 'bytea',
  text: 'text',
  boolean: 'boolean',
  timestamp: 'timestamptz',
  json: 'jsonb',
  // A list of JSON values, as on SQLite (array-values.ts): the element types keep their JSON form.
  array: 'jsonb',
};

/** A column's PostgreSQL type (also what a typed parameter is cast to). */
export function sqlType(spec: ColumnSpec): string {
  return typeSql(spec.type, spec.length, spec.digits);
}

/** The column's declared type; a reference takes its key's. */
export function columnType(column: ColumnSchema): string {
  const { references } = column;
  return references === undefined ? typeSql(column.type, column.length, column.digits) : typeSql(references.type, references.length, references.digits);
}

function typeSql(type: ColumnType, length: number | undefined, digits: readonly [number, number] | undefined): string {
  if (type === 'varchar') return `varchar(${length})`;
  if (type === 'numeric') {
    const [precision, scale] = digits ?? [18, 0];
    return `numeric(${precision}, ${scale})`;
  }
  if (type === 'foreignKey') return 'integer'; // a reference to a table's rowid: refused before this (see below)
  return SQL_TYPES[type];
}

export function columnDefinition(column: ColumnSchema, table: string): string {
  const quoted = quoteIdentifier(column.name);
  // A foreign key takes the SQL type of the key it references (text for a text key).
  const { references } = column;
  let sql = `${quoted} ${columnType(column)}`;
  // Like SQLite's rowid alias, an explicit id may be inserted: BY DEFAULT, not ALWAYS.
  if (column.type === 'serial') sql += ' GENERATED BY DEFAULT AS IDENTITY';
  if (column.primaryKey) sql += ' PRIMARY KEY';
  if (!column.nullable && !column.primaryKey) sql += ' NOT NULL';
  if (column.unique && !column.primaryKey) sql += ' UNIQUE';
  if (column.default !== undefined) sql += ` DEFAULT ${defaultLiteral(column)}`;
  if (column.type === 'array') sql += ` CHECK (jsonb_typeof(${quoted}) = 'array')`;
  if (column.choices !== undefined) sql += ` CHECK (${quoted} IN (${column.choices.map((choice) => sqlLiteral(choice)).join(', ')}))`;
  if (references !== undefined) {
    if (references.column === 'rowid') throw rowidReference(table, column.name, references.table);
    sql += ` REFERENCES ${quoteIdentifier(references.table)} (${quoteIdentifier(references.column)})`;
    if (references.onDelete !== undefined) sql += ` ON DELETE ${references.onDelete.toUpperCase()}`;
  }
  return sql;
}

/** A default as a literal of the column's type (the value is kept encoded as SQLite stores it). */
export function defaultLiteral(column: ColumnSchema): string {
  const value = fromSchemaValue(column.default ?? null);
  if (value === null) return 'NULL';
  const type = column.references?.type ?? column.type;
  switch (type) {
    case 'boolean':
      return value === 1 || value === 1n ? 'TRUE' : 'FALSE';
    case 'numeric':
      return decimalFromUnits(BigInt(value as bigint), (column.references?.digits ?? column.digits)?.[1] ?? 0);
    case 'bytes':
      return `'\\x${Array.from(value as Uint8Array, (byte) => byte.toString(16).padStart(2, '0')).join('')}'::bytea`;
    case 'real':
    case 'double':
      if (value === Infinity) return `'Infinity'::double precision`;
      if (value === -Infinity) return `'-Infinity'::double precision`;
      return sqlLiteral(value as number);
    default:
      // Text forms (timestamps, dates, json, uuids) are typed by the column; numbers are numbers.
      return sqlLiteral(value);
  }
}

function rowidReference(table: string, column: string, referenced: string): PiccoError {
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `"${table}"."${column}" references "${referenced}", which has no primary key; on SQLite it references the hidden rowid, ` +
      `which PostgreSQL tables do not have. Give "${referenced}" a primary key (serial() or .primaryKey()).`,
  );
}
