/**
 * Runs a schema batch (core's `SchemaBatch`: statements and table rebuilds) on one connection as
 * one unit, in one synchronous call, so nothing else can run on the connection in between: on a
 * pooled engine the batch is one request to the writer process.
 *
 * A rebuild follows https://www.sqlite.org/lang_altertable.html ("Making Other Kinds Of Table
 * Schema Changes"):
 * 1. `PRAGMA foreign_keys = OFF` before the transaction (inside one SQLite ignores it), else
 *    dropping the old table would run its ON DELETE actions (a CASCADE empties the children);
 * 2. `BEGIN IMMEDIATE`; 3. remember the table's indexes and triggers; 4-5. create the new table
 *    under a temporary name and copy the rows; 6. drop the old table; 7. rename the new one, with
 *    `legacy_alter_table = ON` so that views and triggers naming the table (dangling for that
 *    moment) do not fail the rename; 8. recreate the indexes and triggers; 9. check that every
 *    view still compiles; 10. `PRAGMA foreign_key_check`; 11. COMMIT; 12. foreign keys back on,
 *    whatever happened. Any failure rolls the whole batch back.
 */
import { PiccoError, PiccoErrorCode, type CompiledQuery, type ExecutionResult, type SchemaBatch, type TableRebuildStep } from '@picco/core';
import type Database from 'better-sqlite3';
import { queryFailed } from './errors.js';

const APPLIED: ExecutionResult = Object.freeze({ rows: Object.freeze([Object.freeze({ applied: 1 })]), changes: 0, lastInsertRowid: 0 });
const SKIPPED: ExecutionResult = Object.freeze({ rows: Object.freeze([Object.freeze({ applied: 0 })]), changes: 0, lastInsertRowid: 0 });

/** How many foreign key violations an error lists. */
const SHOWN_VIOLATIONS = 5;

export function executeSchemaBatch(db: Database.Database, query: CompiledQuery, atomically: <T>(work: () => T) => T): ExecutionResult {
  const batch = query.batch;
  if (batch === undefined) throw new PiccoError(PiccoErrorCode.INVALID_QUERY, `A query in mode "batch" came without its batch. SQL: ${query.sql}`);
  const rebuilds = batch.steps.some((step) => step.kind === 'rebuild');
  if (db.inTransaction) {
    if (rebuilds) throw rebuildInTransaction(query);
    // Plain statements need no switch: a savepoint makes them one unit inside the transaction.
    return atomically(() => runSteps(db, query, batch));
  }
  const foreignKeys = rebuilds && db.pragma('foreign_keys', { simple: true }) === 1;
  const legacyAlterTable = db.pragma('legacy_alter_table', { simple: true }) === 1;
  if (foreignKeys) db.pragma('foreign_keys = OFF');
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = runSteps(db, query, batch);
      if (foreignKeys && result === APPLIED) checkForeignKeys(db, query);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  } finally {
    if (foreignKeys) db.pragma('foreign_keys = ON');
    db.pragma(`legacy_alter_table = ${legacyAlterTable ? 'ON' : 'OFF'}`);
  }
}

function runSteps(db: Database.Database, query: CompiledQuery, batch: SchemaBatch): ExecutionResult {
  for (const statement of batch.first ?? []) run(query, statement.sql, () => db.prepare(statement.sql).all(...statement.params));
  if (batch.skipIf !== undefined && run(query, batch.skipIf.sql, () => db.prepare(batch.skipIf!.sql).get(...batch.skipIf!.params)) !== undefined) return SKIPPED;
  for (const step of batch.steps) {
    if (step.kind === 'statement') run(query, step.sql, () => (step.params.length === 0 ? db.exec(step.sql) : db.prepare(step.sql).run(...step.params)));
    else rebuild(db, query, step);
  }
  return APPLIED;
}

interface SchemaObject {
  readonly type: 'index' | 'trigger';
  readonly name: string;
  readonly sql: string;
}

function rebuild(db: Database.Database, query: CompiledQuery, step: TableRebuildStep): void {
  const quotedTable = quote(step.table);
  const columns = (db.prepare(`SELECT name FROM pragma_table_xinfo(?)`).all(step.table) as { name: string }[]).map((row) => row.name);
  if (columns.length === 0) throw rebuildFailed(step, query, `there is no table "${step.table}" in the database`);
  // As sets: the copy names its columns, so their order does not matter (the new table's is the definition's).
  if (columns.length !== step.expectedColumns.length || !step.expectedColumns.every((name) => columns.includes(name))) {
    throw rebuildFailed(
      step,
      query,
      `the table's columns in the database (${columns.join(', ')}) are not the ones its definition says (${step.expectedColumns.join(', ')}), ` +
        `so rebuilding it from the definition could lose data. Update the defineTable call to match the database first`,
    );
  }
  if (db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = ?`).get(step.temporaryName) !== undefined) {
    throw rebuildFailed(step, query, `a table named "${step.temporaryName}" exists (left by someone else?); Picco needs that name for the rebuild`);
  }
  // Step 3: indexes made by constraints (sql IS NULL) come back with the new table's constraints;
  // the old definition's own indexes are replaced by the new definition's.
  const replaced = new Set(step.replacedIndexes);
  const kept = (db.prepare(`SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, rowid`).all(step.table) as SchemaObject[]).filter(
    (object) => !(object.type === 'index' && replaced.has(object.name)),
  );
  runRebuildStatement(db, query, step, step.create);
  runRebuildStatement(db, query, step, step.copy);
  runRebuildStatement(db, query, step, `DROP TABLE ${quotedTable}`);
  db.pragma('legacy_alter_table = ON');
  runRebuildStatement(db, query, step, `ALTER TABLE ${quote(step.temporaryName)} RENAME TO ${quotedTable}`);
  db.pragma('legacy_alter_table = OFF');
  for (const sql of step.indexes) runRebuildStatement(db, query, step, sql);
  for (const object of kept) {
    runRebuildStatement(db, query, step, object.sql, `its ${object.type} "${object.name}" no longer fits the new table; drop or change it first`);
  }
  // Step 9: a view reading a dropped or renamed column would fail only when used: find it now.
  const views = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'view'`).all() as { name: string }[];
  for (const view of views) runRebuildStatement(db, query, step, `SELECT * FROM ${quote(view.name)} LIMIT 0`, `the view "${view.name}" no longer fits the new table; drop or change it first`, true);
}

/** Runs one statement of a rebuild; a failure names the table and the statement. */
function runRebuildStatement(db: Database.Database, query: CompiledQuery, step: TableRebuildStep, sql: string, hint?: string, prepareOnly = false): void {
  try {
    if (prepareOnly) db.prepare(sql);
    else db.exec(sql);
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    throw rebuildFailed(step, query, `${hint === undefined ? '' : `${hint}: `}${message}${code === undefined ? '' : ` (${code})`}`, { sql, code, cause: error });
  }
}

/** Runs one statement of the batch; SQLite's error becomes `QUERY_FAILED` naming that statement. */
function run<T>(query: CompiledQuery, sql: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw queryFailed(error, { ...query, sql });
  }
}

function checkForeignKeys(db: Database.Database, query: CompiledQuery): void {
  const violations = db.pragma('foreign_key_check') as { table: string; rowid: number | null; parent: string; fkid: number }[];
  if (violations.length === 0) return;
  const shown = violations
    .slice(0, SHOWN_VIOLATIONS)
    .map((violation) => `a row of "${violation.table}"${violation.rowid === null ? '' : ` (rowid ${violation.rowid})`} references a missing row of "${violation.parent}"`)
    .join('; ');
  const more = violations.length > SHOWN_VIOLATIONS ? `; and ${violations.length - SHOWN_VIOLATIONS} more` : '';
  throw new PiccoError(
    PiccoErrorCode.QUERY_FAILED,
    `Schema change${query.table === undefined ? '' : ` on table "${query.table}"`} rolled back, nothing was changed: it would break foreign keys (PRAGMA foreign_key_check): ${shown}${more}. ` +
      `Fix or delete those rows first.`,
    { sqliteCode: 'SQLITE_CONSTRAINT_FOREIGNKEY', sql: 'PRAGMA foreign_key_check' },
  );
}

function rebuildFailed(step: TableRebuildStep, query: CompiledQuery, reason: string, details: { sql?: string; code?: string; cause?: unknown } = {}): PiccoError {
  return new PiccoError(
    PiccoErrorCode.QUERY_FAILED,
    `Rebuilding table "${step.table}" failed and was rolled back, nothing was changed: ${reason}.${details.sql === undefined ? '' : ` SQL: ${details.sql}`}`,
    { sqliteCode: details.code, sql: details.sql ?? query.sql, cause: details.cause },
  );
}

function rebuildInTransaction(query: CompiledQuery): PiccoError {
  return new PiccoError(
    PiccoErrorCode.SCHEMA_CHANGE_IN_TRANSACTION,
    `Refusing to rebuild${query.table === undefined ? ' a table' : ` table "${query.table}"`} inside an open transaction. A rebuild drops and recreates the table, ` +
      `which needs foreign key enforcement switched off first (else dropping it runs ON DELETE actions: a CASCADE would empty the tables referencing it), ` +
      `and SQLite cannot switch it inside a transaction. Run the change outside DB.transaction() / transactionSync(): it runs in a transaction of its own, ` +
      `all or nothing.`,
  );
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
