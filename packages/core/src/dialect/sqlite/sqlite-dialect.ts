/**
 * SQLite's SQL: `?` parameters, `INSERT OR IGNORE`, `LIMIT -1`, timestamps compared as
 * canonical UTC text, and the DDL (`sqlite-ddl.ts`).
 */
import type { CastType, DatePart, InsertNode } from '../../operation-node/nodes.js';
import type { SqlDialect } from '../dialect.js';
import { compileAlterTable, compileCreateTable, compileDropTable, compileTableExists, sqliteTimestampOperand } from './sqlite-ddl.js';

/** SQLite's type names for `cast()`: INTEGER holds 64 bits, so bigint is INTEGER too. */
const CAST_TYPES: Readonly<Record<CastType, string>> = { text: 'TEXT', integer: 'INTEGER', bigint: 'INTEGER', real: 'REAL' };

const DATE_PART_FORMATS: Readonly<Record<DatePart, string>> = { year: '%Y', month: '%m', day: '%d', hour: '%H', minute: '%M', second: '%S' };

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  placeholder: () => '?',
  anonymousPlaceholders: true,
  // SQLite's LIKE already ignores ASCII case: ILIKE is LIKE.
  comparisonOperator: (operator) => (operator === 'ILIKE' ? 'LIKE' : operator),
  timestampOperand: sqliteTimestampOperand,
  /** `NOW` in the form timestamp columns store (ISO-8601 with milliseconds and `Z`), so it compares with them. */
  now: `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  functionCall: (name, args) => `${name}(${args.join(', ')})`,
  aggregate: (name, distinct, arg) => `${name}(${distinct ? 'DISTINCT ' : ''}${arg ?? '*'})`,
  // SQLite sorts NULLs first in ascending order, last in descending: what Picco means everywhere.
  orderDirection: (direction) => direction,
  derivedTableAlias: '',
  qualifyUpsertColumns: false,
  // SQLite stores a numeric column's integer units: they are sent as they are.
  decimalParameter: undefined,
  typedParameter: (placeholder) => placeholder,
  cast: (sql, to) => `CAST(${sql} AS ${CAST_TYPES[to]})`,
  // Timestamps are ISO-8601 text in UTC (dates `YYYY-MM-DD`), which strftime reads as they are.
  datePart: (sql, part) => `CAST(strftime('${DATE_PART_FORMATS[part]}', ${sql}) AS INTEGER)`,
  limitOffset(limit, offset) {
    // LIMIT and OFFSET are written as literals (the builders accept only safe whole numbers):
    // a bound LIMIT makes SQLite's point lookups several times slower.
    let sql = '';
    // SQLite needs a LIMIT before an OFFSET; -1 means "no limit".
    if (limit !== undefined || offset !== undefined) sql += ` LIMIT ${limit ?? -1}`;
    if (offset !== undefined) sql += ` OFFSET ${offset}`;
    return sql;
  },
  insertInto(node: InsertNode) {
    const verb = node.onConflict === 'abort' ? 'INSERT' : `INSERT OR ${node.onConflict.toUpperCase()}`;
    return `${verb} INTO ${node.table.quoted}`;
  },
  insertValue: (_table, _column, placeholder) => placeholder,
  insertConflictSuffix: () => '',
  rowIdentity: '"rowid"',
  createTable: compileCreateTable,
  dropTable: compileDropTable,
  alterTable: compileAlterTable,
  tableExists: compileTableExists,
};
