/**
 * PostgreSQL's SQL. Not written yet: every table query is refused by name rather than sent as
 * SQLite's SQL, which would fail with a baffling syntax error or, worse, mean something else.
 */
import { PiccoError, PiccoErrorCode } from '../../errors.js';
import type { SqlDialect } from '../dialect.js';

function notYet(): never {
  throw new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    "Picco's compiler has no PostgreSQL dialect for table queries yet. Use raw SQL with $1, $2 parameters for now: " +
      'DB.raw("SELECT * FROM band WHERE id = $1", [id]).',
  );
}

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  placeholder: (index) => `$${index}`,
  anonymousPlaceholders: false,
  comparisonOperator: notYet,
  timestampOperand: notYet,
  now: 'now()',
  limitOffset: notYet,
  insertInto: notYet,
  insertConflictSuffix: notYet,
  rowIdentity: 'ctid',
  createTable: notYet,
  dropTable: notYet,
  alterTable: notYet,
  tableExists: notYet,
};
