/**
 * PostgreSQL's SQL: `$1..$n` parameters, native ILIKE, `ON CONFLICT DO NOTHING` for
 * `onConflict('ignore')`, timestamps compared as timestamptz, numeric values sent as decimals,
 * and the DDL (`postgres-ddl.ts`). Where PostgreSQL would answer differently from SQLite for
 * the same query, the SQL says what SQLite means (NULLs first in ascending order, `AVG` as a
 * double); where there is no faithful translation (`INSERT OR REPLACE`) the query is refused.
 */
import { PiccoError, PiccoErrorCode } from '../../errors.js';
import type { CastType, InsertNode } from '../../operation-node/nodes.js';
import { sqlLiteral } from '../../compiler/quote.js';
import { decimalFromUnits } from '../../schema/values.js';
import type { SqlDialect } from '../dialect.js';
import { valueSpec } from '../../schema/column-builder.js';
import { compileAlterTable, compileCreateTable, compileDropTable, compileTableExists, sqlType } from './postgres-ddl.js';

const CAST_TYPES: Readonly<Record<CastType, string>> = { text: 'TEXT', integer: 'INTEGER', bigint: 'BIGINT', real: 'DOUBLE PRECISION' };

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  placeholder: (index) => `$${index}`,
  anonymousPlaceholders: false,
  comparisonOperator: (operator) => operator,
  // timestamptz compares by time already: no text form needed.
  timestampOperand: (sql) => sql,
  // The time of the statement, as SQLite's 'now' is (`now()` would be the transaction's start).
  now: 'statement_timestamp()',
  functionCall(name, args) {
    // PostgreSQL rounds to decimal places only numerics; round() is a number in Picco.
    if (name === 'ROUND' && args.length === 2) return `CAST(ROUND(CAST(${args[0]} AS numeric), ${args[1]}) AS double precision)`;
    return `${name}(${args.join(', ')})`;
  },
  aggregate(name, distinct, arg, numeric) {
    const sql = `${name}(${distinct ? 'DISTINCT ' : ''}${arg ?? '*'})`;
    // AVG of integers is a numeric (decimal text) on PostgreSQL, a double on SQLite: Picco's avg() is a number.
    return name === 'AVG' && !numeric ? `CAST(${sql} AS double precision)` : sql;
  },
  orderDirection(direction, nullable) {
    if (nullable === false) return direction;
    // PostgreSQL puts NULLs last in ascending order; SQLite (and so Picco) first.
    return direction === 'ASC' ? 'ASC NULLS FIRST' : 'DESC NULLS LAST';
  },
  limitOffset(limit, offset) {
    return `${limit === undefined ? '' : ` LIMIT ${limit}`}${offset === undefined ? '' : ` OFFSET ${offset}`}`;
  },
  insertInto(node) {
    if (node.onConflict === 'replace') throw replaceRefused(node);
    return `INSERT INTO ${node.table.quoted}`;
  },
  insertValue(table, column, placeholder) {
    if (column.spec.type !== 'serial') return placeholder;
    // An identity column refuses NULL: a row that gives no id takes the next one, as on SQLite.
    // COALESCE evaluates nextval only for a NULL, so an id given explicitly uses no number.
    const sequence = `pg_get_serial_sequence(${sqlLiteral(table.quoted)}, ${sqlLiteral(sqlName(column))})`;
    return `COALESCE(${placeholder}, nextval(${sequence}))`;
  },
  insertConflictSuffix(node) {
    const upserts = node.upserts?.length ?? 0;
    if (upserts > 1) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `insert() on "${node.table.name}" has ${upserts} onConflict({ ... }) clauses; PostgreSQL takes one ON CONFLICT clause per INSERT ` +
          '(SQLite tries several in order). Keep one, or insert the rows that may conflict on another target in a second insert.',
      );
    }
    if (node.onConflict !== 'ignore') return '';
    if (upserts > 0) {
      throw new PiccoError(
        PiccoErrorCode.INVALID_QUERY,
        `insert() on "${node.table.name}" combines onConflict('ignore') with an onConflict({ ... }) clause; PostgreSQL takes one ON CONFLICT clause per INSERT. ` +
          "Keep the clause and add onConflict({ action: 'doNothing' }) for the rest, or drop one of them.",
      );
    }
    return ' ON CONFLICT DO NOTHING';
  },
  typedParameter: (placeholder, spec) => `CAST(${placeholder} AS ${sqlType(valueSpec(spec))})`,
  cast: (sql, to) => `CAST(${sql} AS ${CAST_TYPES[to]})`,
  // EXTRACT gives a numeric (seconds with their fraction): whole numbers, as on SQLite. A
  // timestamptz is read in UTC, as Picco stores and SQLite reads it; a date has no zone.
  datePart: (sql, part, isDate) => `CAST(FLOOR(EXTRACT(${part.toUpperCase()} FROM ${isDate ? sql : `(${sql}) AT TIME ZONE 'UTC'`})) AS INTEGER)`,
  rowIdentity: 'ctid',
  // PostgreSQL 15 and earlier require a subquery in FROM to have a name.
  derivedTableAlias: ' AS "rows"',
  qualifyUpsertColumns: true,
  decimalParameter: decimalFromUnits,
  createTable: compileCreateTable,
  dropTable: compileDropTable,
  alterTable: compileAlterTable,
  tableExists: compileTableExists,
};

/** A column's name in SQL, unquoted: `pg_get_serial_sequence` takes it as it is. */
function sqlName(column: { readonly quoted: string }): string {
  return column.quoted.slice(1, -1).replace(/""/g, '"');
}

/**
 * SQLite's `INSERT OR REPLACE` deletes every row the new one conflicts with (on any unique
 * constraint, firing ON DELETE actions) and inserts the new row with new defaults. PostgreSQL
 * has no statement that does that; ON CONFLICT DO UPDATE updates one row in place on one
 * constraint, which keeps the other columns and the row's identity: a different result. So it
 * is refused rather than approximated.
 */
function replaceRefused(node: InsertNode): PiccoError {
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `insert() on "${node.table.name}" uses onConflict('replace'), SQLite's INSERT OR REPLACE, which PostgreSQL does not have ` +
      '(it deletes the conflicting rows, firing their ON DELETE actions, and inserts a new row). To update the existing row in place, ' +
      "use onConflict({ target: <unique column>, action: 'doUpdate', set: [<columns to take from the new row>] }).",
  );
}
