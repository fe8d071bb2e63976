/** Finds a dialect by name, and the dialect an engine speaks. */
import type { Engine } from '../engine.js';
import { PiccoError, PiccoErrorCode } from '../errors.js';
import { DIALECT_NAMES, type DialectName, type SqlDialect } from './dialect.js';
import { postgresDialect } from './postgres/postgres-dialect.js';
import { sqliteDialect } from './sqlite/sqlite-dialect.js';

export function dialectNamed(name: DialectName): SqlDialect {
  switch (name) {
    case 'sqlite':
      return sqliteDialect;
    case 'postgres':
      return postgresDialect;
    default:
      throw unknownDialect(name);
  }
}

/**
 * The dialect of the engine a query runs on. No engine (a table defined without `db`, whose
 * queries can still be shown with `toSQL()`) and an engine that names none speak SQLite.
 */
export function dialectOf(engine: Engine | undefined): DialectName {
  const name = engine?.dialect;
  if (name === undefined || name === 'sqlite') return 'sqlite';
  if (name === 'postgres') return name;
  throw unknownDialect(name);
}

function unknownDialect(name: unknown): PiccoError {
  return new PiccoError(
    PiccoErrorCode.INVALID_QUERY,
    `The engine says its SQL dialect is ${JSON.stringify(name)}, which Picco cannot write. ` +
      `An engine's \`dialect\` is one of ${DIALECT_NAMES.map((known) => JSON.stringify(known)).join(', ')} (or absent, for SQLite).`,
  );
}
