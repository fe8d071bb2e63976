/**
 * Schema operations (schema/schema-operation.ts) compiled to PostgreSQL statements: every change
 * is an ALTER TABLE in place (PostgreSQL's DDL is transactional, so a batch of them is one unit).
 * Constraints declared inline get PostgreSQL's own names (`<table>_<column>_key`, `_fkey`,
 * `_check`, `<table>_pkey`, shortened as PostgreSQL shortens them: postgres-names.ts), which is
 * how a changed column's old constraint is found and dropped.
 * PostgreSQL keeps a constraint's name when its table or column is renamed, so a rename renames
 * them too: the names always follow the columns, as a table created afresh would have them.
 */
import type { BatchStep } from '../../compiler/compiled-query.js';
import { quoteIdentifier, sqlLiteral } from '../../compiler/quote.js';
import { PiccoError, PiccoErrorCode } from '../../errors.js';
import { applyOperation, describeOperation, type SchemaOperation, type SchemaState } from '../../schema/schema-operation.js';
import type { ColumnSchema, SchemaValue } from '../../schema/table-schema.js';
import { columnDefinition, columnType, createIndex, defaultLiteral } from './postgres-ddl.js';
import { defaultConstraintName } from './postgres-names.js';

/** The statements of `operations`, in order, starting from `state`. */
export function postgresSchemaSteps(operations: readonly SchemaOperation[], state: SchemaState): BatchStep[] {
  const sql: string[] = [];
  let current = state;
  for (const operation of operations) {
    sql.push(...operationSql(operation), ...constraintRenames(operation, current));
    current = applyOperation(current, operation);
  }
  return sql.map((text) => ({ kind: 'statement', sql: text, params: [] }));
}

function operationSql(operation: SchemaOperation): string[] {
  switch (operation.op) {
    case 'createTable': {
      const { table } = operation;
      const create = `CREATE TABLE ${quoteIdentifier(table.name)} (${table.columns.map((column) => columnDefinition(column, table.name)).join(', ')})`;
      return [create, ...table.columns.flatMap((column) => (column.index === undefined ? [] : [createIndex(table.name, column.name, column.index, false)]))];
    }
    case 'dropTable':
      return [`DROP TABLE ${quoteIdentifier(operation.table.name)}`];
    case 'renameTable':
      return [`ALTER TABLE ${quoteIdentifier(operation.from)} RENAME TO ${quoteIdentifier(operation.to)}`];
    case 'addColumn': {
      // PostgreSQL appends a column; `position` (an undone drop) cannot put it back in its place.
      const { column, fill } = operation;
      const table = `ALTER TABLE ${quoteIdentifier(operation.table)}`;
      const statements = [`${table} ADD COLUMN ${columnDefinition(fill === undefined ? column : { ...column, default: fill }, operation.table)}`];
      // The fill is a default for the rows there are, then the column's own default (or none) again.
      if (fill !== undefined) {
        const quoted = quoteIdentifier(column.name);
        statements.push(column.default === undefined ? `${table} ALTER COLUMN ${quoted} DROP DEFAULT` : `${table} ALTER COLUMN ${quoted} SET DEFAULT ${defaultLiteral(column)}`);
      }
      if (column.index !== undefined) statements.push(createIndex(operation.table, column.name, column.index, false));
      return statements;
    }
    case 'dropColumn':
      return [`ALTER TABLE ${quoteIdentifier(operation.table)} DROP COLUMN ${quoteIdentifier(operation.column.name)}`];
    case 'renameColumn':
      return [`ALTER TABLE ${quoteIdentifier(operation.table)} RENAME COLUMN ${quoteIdentifier(operation.from)} TO ${quoteIdentifier(operation.to)}`];
    case 'alterColumn':
      return alterColumnSql(operation.table, operation.from, operation.to, operation.fill, operation);
  }
}

/** `RENAME CONSTRAINT`s that keep the default names true after a rename (`state`: the schema before it). */
function constraintRenames(operation: SchemaOperation, state: SchemaState): string[] {
  if (operation.op === 'renameTable') {
    const table = state.get(operation.from);
    if (table === undefined) return [];
    const renames = table.columns.flatMap((column) =>
      defaultConstraintSuffixes(column).map((suffix) => [defaultConstraintName(operation.from, column.name, suffix), defaultConstraintName(operation.to, column.name, suffix)]),
    );
    if (table.columns.some((column) => column.primaryKey)) renames.push([defaultConstraintName(operation.from, undefined, 'pkey'), defaultConstraintName(operation.to, undefined, 'pkey')]);
    return renames.filter(([from, to]) => from !== to).map(([from, to]) => renameConstraint(operation.to, from!, to!));
  }
  if (operation.op === 'renameColumn') {
    const column = state.get(operation.table)?.columns.find((candidate) => candidate.name === operation.from);
    if (column === undefined) return [];
    // Long names may shorten to the same name before and after: nothing to rename then.
    return defaultConstraintSuffixes(column)
      .map((suffix) => [defaultConstraintName(operation.table, operation.from, suffix), defaultConstraintName(operation.table, operation.to, suffix)] as const)
      .filter(([from, to]) => from !== to)
      .map(([from, to]) => renameConstraint(operation.table, from, to));
  }
  return [];
}

/** The suffixes of the constraints PostgreSQL named after the column (see postgres-ddl.ts's column definition). */
function defaultConstraintSuffixes(column: ColumnSchema): string[] {
  const suffixes: string[] = [];
  if (column.unique && !column.primaryKey) suffixes.push('key');
  if (column.references !== undefined) suffixes.push('fkey');
  // Two CHECKs on one column (an array with choices) are named _check and _check1.
  const checks = (column.type === 'array' ? 1 : 0) + (column.choices !== undefined ? 1 : 0);
  if (checks >= 1) suffixes.push('check');
  if (checks === 2) suffixes.push('check1');
  return suffixes;
}

function renameConstraint(table: string, from: string, to: string): string {
  return `ALTER TABLE ${quoteIdentifier(table)} RENAME CONSTRAINT ${quoteIdentifier(from)} TO ${quoteIdentifier(to)}`;
}

function alterColumnSql(tableName: string, from: ColumnSchema, to: ColumnSchema, fill: SchemaValue | undefined, operation: SchemaOperation): string[] {
  if (from.primaryKey !== to.primaryKey || (from.type === 'serial') !== (to.type === 'serial')) {
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `"${describeOperation(operation)}" changes a primary key, which Picco does not do on PostgreSQL yet. Use DB.raw("ALTER TABLE ...").`);
  }
  const table = `ALTER TABLE ${quoteIdentifier(tableName)}`;
  const column = quoteIdentifier(to.name);
  const constraint = (suffix: string): string => quoteIdentifier(defaultConstraintName(tableName, to.name, suffix));
  const statements: string[] = [];
  const same = <K extends keyof ColumnSchema>(...keys: K[]): boolean => keys.every((key) => JSON.stringify(from[key]) === JSON.stringify(to[key]));
  // Constraints that may not hold for the new type or values go first; they come back last.
  const referencesChange = JSON.stringify(from.references) !== JSON.stringify(to.references);
  if (referencesChange && from.references !== undefined) statements.push(`${table} DROP CONSTRAINT ${constraint('fkey')}`);
  if (!same('choices') && from.choices !== undefined) statements.push(`${table} DROP CONSTRAINT ${constraint('check')}`);
  if (from.unique && !to.unique) statements.push(`${table} DROP CONSTRAINT ${constraint('key')}`);
  if (from.index !== undefined && from.index !== to.index) statements.push(`DROP INDEX ${quoteIdentifier(from.index)}`);
  if (!same('default') && from.default !== undefined) statements.push(`${table} ALTER COLUMN ${column} DROP DEFAULT`);
  if (columnType(from) !== columnType(to)) statements.push(`${table} ALTER COLUMN ${column} TYPE ${columnType(to)} USING ${column}::${columnType(to)}`);
  if (fill !== undefined) statements.push(`UPDATE ${quoteIdentifier(tableName)} SET ${column} = ${defaultLiteral({ ...to, default: fill })} WHERE ${column} IS NULL`);
  if (from.nullable !== to.nullable) statements.push(`${table} ALTER COLUMN ${column} ${to.nullable ? 'DROP' : 'SET'} NOT NULL`);
  if (!same('default') && to.default !== undefined) statements.push(`${table} ALTER COLUMN ${column} SET DEFAULT ${defaultLiteral(to)}`);
  if (!from.unique && to.unique) statements.push(`${table} ADD CONSTRAINT ${constraint('key')} UNIQUE (${column})`);
  if (!same('choices') && to.choices !== undefined) statements.push(`${table} ADD CONSTRAINT ${constraint('check')} CHECK (${column} IN (${to.choices.map((choice) => sqlLiteral(choice)).join(', ')}))`);
  if (referencesChange && to.references !== undefined) {
    const { references } = to;
    statements.push(
      `${table} ADD CONSTRAINT ${constraint('fkey')} FOREIGN KEY (${column}) REFERENCES ${quoteIdentifier(references.table)} (${quoteIdentifier(references.column)})` +
        (references.onDelete === undefined ? '' : ` ON DELETE ${references.onDelete.toUpperCase()}`),
    );
  }
  if (to.index !== undefined && from.index !== to.index) statements.push(createIndex(tableName, to.name, to.index, false));
  // Empty when the change means nothing to PostgreSQL (real to double: both double precision).
  return statements;
}
