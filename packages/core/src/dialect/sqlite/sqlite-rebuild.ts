/**
 * SQLite's twelve-step table rebuild, compiled: the step an engine runs (see the runtime's
 * connection/schema-batch.ts for the steps it runs around it), how a batch shows in `toSQL()`,
 * and which column changes SQLite's ALTER TABLE can make in place instead.
 */
import type { BatchStep, TableRebuildStep } from '../../compiler/compiled-query.js';
import { quoteIdentifier } from '../../compiler/quote.js';
import { PiccoError, PiccoErrorCode } from '../../errors.js';
import { sameColumn, type ColumnSchema, type ColumnSource, type SchemaValue, type TableSchema } from '../../schema/table-schema.js';
import { createIndexStatements, createTableSql } from './sqlite-ddl.js';

/**
 * SQLite's twelve-step table rebuild (https://www.sqlite.org/lang_altertable.html, "Making
 * Other Kinds Of Table Schema Changes"), as a step the engine runs: create the new table under
 * a temporary name, copy the rows, drop the old table, rename the new one, recreate the indexes
 * (the new definition's; the table's other indexes and its triggers are read from the database
 * and restored by the engine). `sources` says, for each new column by SQL name, where its values
 * come from; a new column without a source takes its default (or NULL).
 */
export function tableRebuildStep(from: TableSchema, to: TableSchema, sources: ReadonlyMap<string, ColumnSource>): TableRebuildStep {
  if (from.name !== to.name) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `A rebuild keeps the table's name ("${from.name}", not "${to.name}"); rename it separately.`);
  const temporaryName = `picco_rebuild_${to.name}`;
  const targets: string[] = [];
  const values: string[] = [];
  for (const column of to.columns) {
    const source = sources.get(column.name);
    if (source === undefined) continue;
    targets.push(quoteIdentifier(column.name));
    if ('from' in source) values.push(source.fill === undefined ? quoteIdentifier(source.from) : `COALESCE(${quoteIdentifier(source.from)}, ${source.fill})`);
    else values.push(source.fill);
  }
  if (targets.length === 0) {
    // A table keeps at least one column; this is only reachable with hand-made schemas.
    throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `Rebuilding "${from.name}" would keep none of its columns; drop the table and create it instead.`);
  }
  const copy = `INSERT INTO ${quoteIdentifier(temporaryName)} (${targets.join(', ')}) SELECT ${values.join(', ')} FROM ${quoteIdentifier(from.name)}`;
  return {
    kind: 'rebuild',
    table: from.name,
    expectedColumns: from.columns.map((column) => column.name),
    temporaryName,
    create: createTableSql(to, { as: temporaryName }),
    copy,
    indexes: createIndexStatements(to),
    replacedIndexes: from.columns.flatMap((column) => (column.index === undefined ? [] : [column.index])),
  };
}

/**
 * The statements a batch shows in `toSQL()`, in the order the engine runs them. Around a
 * rebuild the engine switches foreign keys off outside the transaction (SQLite ignores the
 * switch inside one), checks them before COMMIT and switches them back on, even on failure.
 */
export function batchSql(steps: readonly BatchStep[]): string {
  const rebuilds = steps.some((step) => step.kind === 'rebuild');
  const lines: string[] = [];
  if (rebuilds) lines.push('PRAGMA foreign_keys = OFF');
  lines.push('BEGIN IMMEDIATE');
  for (const step of steps) {
    if (step.kind === 'statement') {
      lines.push(step.sql);
      continue;
    }
    lines.push(
      step.create,
      step.copy,
      `DROP TABLE ${quoteIdentifier(step.table)}`,
      `ALTER TABLE ${quoteIdentifier(step.temporaryName)} RENAME TO ${quoteIdentifier(step.table)}`,
      ...step.indexes,
    );
  }
  if (rebuilds) lines.push('PRAGMA foreign_key_check');
  lines.push('COMMIT');
  if (rebuilds) lines.push('PRAGMA foreign_keys = ON');
  return lines.join(';\n');
}

/** Whether `ALTER TABLE ADD COLUMN` can add it: not a key, not unique, and existing rows get NULL or its default. */
export function addsColumnInPlace(column: ColumnSchema, fill: SchemaValue | undefined): boolean {
  return !column.primaryKey && !column.unique && (column.nullable || column.default !== undefined) && fill === undefined;
}

/** Whether `ALTER TABLE DROP COLUMN` can drop it: not a key, unique, indexed or foreign-key column. */
export function dropsColumnInPlace(column: ColumnSchema): boolean {
  return !column.primaryKey && !column.unique && column.index === undefined && column.references === undefined;
}

/** Whether two definitions of a column differ in their index only (made or dropped in place). */
export function onlyIndexDiffers(from: ColumnSchema, to: ColumnSchema): boolean {
  return from.index !== to.index && sameColumn({ ...from, index: to.index }, to);
}
