/**
 * Schema operations (schema/schema-operation.ts) compiled to SQLite batch steps: in place where
 * `ALTER TABLE` can, a table rebuild otherwise (the same rules as `alter()`). Each operation is
 * compiled against the state just before it.
 */
import type { BatchStep } from '../../compiler/compiled-query.js';
import { quoteIdentifier, sqlLiteral } from '../../compiler/quote.js';
import { applyOperation, type SchemaOperation, type SchemaState } from '../../schema/schema-operation.js';
import { fromSchemaValue, type ColumnSource, type SchemaValue, type TableSchema } from '../../schema/table-schema.js';
import { columnDefinitionSql, createIndexSql, createIndexStatements, createTableSql, dropIndexSql } from './sqlite-ddl.js';
import { addsColumnInPlace, dropsColumnInPlace, onlyIndexDiffers, tableRebuildStep } from './sqlite-rebuild.js';

/** The steps of `operations`, in order, starting from `state`. */
export function sqliteSchemaSteps(operations: readonly SchemaOperation[], state: SchemaState): BatchStep[] {
  const steps: BatchStep[] = [];
  let current = state;
  for (const operation of operations) {
    const next = applyOperation(current, operation);
    steps.push(...operationSteps(operation, current, next));
    current = next;
  }
  return steps;
}

function operationSteps(operation: SchemaOperation, before: SchemaState, after: SchemaState): BatchStep[] {
  switch (operation.op) {
    case 'createTable':
      return statements(createTableSql(operation.table), ...createIndexStatements(operation.table));
    case 'dropTable':
      return statements(`DROP TABLE ${quoteIdentifier(operation.table.name)}`);
    case 'renameTable':
      return statements(`ALTER TABLE ${quoteIdentifier(operation.from)} RENAME TO ${quoteIdentifier(operation.to)}`);
    case 'addColumn': {
      const { column, fill } = operation;
      // ADD COLUMN appends: a column that goes elsewhere (an undone drop) needs a rebuild.
      const last = operation.position === undefined || operation.position === (before.get(operation.table)?.columns.length ?? 0);
      if (addsColumnInPlace(column, fill) && last) {
        const table = quoteIdentifier(operation.table);
        return statements(`ALTER TABLE ${table} ADD COLUMN ${columnDefinitionSql(column)}`, ...(column.index === undefined ? [] : [createIndexSql(operation.table, { ...column, index: column.index })]));
      }
      return [rebuild(before, after, operation.table, fill === undefined ? [] : [[column.name, { fill: literal(fill) }]])];
    }
    case 'dropColumn':
      if (dropsColumnInPlace(operation.column)) return statements(`ALTER TABLE ${quoteIdentifier(operation.table)} DROP COLUMN ${quoteIdentifier(operation.column.name)}`);
      return [rebuild(before, after, operation.table, [])];
    case 'renameColumn':
      return statements(`ALTER TABLE ${quoteIdentifier(operation.table)} RENAME COLUMN ${quoteIdentifier(operation.from)} TO ${quoteIdentifier(operation.to)}`);
    case 'alterColumn': {
      const { from, to, fill } = operation;
      if (onlyIndexDiffers(from, to) && fill === undefined) {
        return statements(...(from.index === undefined ? [] : [dropIndexSql(from.index)]), ...(to.index === undefined ? [] : [createIndexSql(operation.table, { ...to, index: to.index })]));
      }
      return [rebuild(before, after, operation.table, [[to.name, { from: from.name, ...(fill === undefined ? {} : { fill: literal(fill) }) }]])];
    }
  }
}

/** A rebuild of `name` from its state before to its state after; columns in both keep their values. */
function rebuild(before: SchemaState, after: SchemaState, name: string, sources: [string, ColumnSource][]): BatchStep {
  const from = before.get(name) as TableSchema;
  const to = after.get(name) as TableSchema;
  const map = new Map(sources);
  for (const column of to.columns) {
    if (!map.has(column.name) && from.columns.some((old) => old.name === column.name)) map.set(column.name, { from: column.name });
  }
  return tableRebuildStep(from, to, map);
}

function literal(value: SchemaValue): string {
  return sqlLiteral(fromSchemaValue(value));
}

function statements(...sql: string[]): BatchStep[] {
  return sql.map((text) => ({ kind: 'statement', sql: text, params: [] }));
}
