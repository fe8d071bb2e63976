/**
 * Every error Picco raises on purpose is a `PiccoError` with a stable `code`.
 * Codes are part of the public API: users match on them, the linter quotes them.
 */
export const PiccoErrorCode = {
  /** A database path that is a typo or that SQLite would turn into a junk file. */
  INVALID_PATH: 'INVALID_PATH',
  /** An async execution on a database that exists only inside one connection. */
  PRIVATE_MEMORY_ASYNC: 'PRIVATE_MEMORY_ASYNC',
  /** `update()` / `delete()` without `where` and without `{ force: true }`. */
  UNFILTERED_MUTATION: 'UNFILTERED_MUTATION',
  /** The engine was closed; nothing more can run on it. */
  ENGINE_CLOSED: 'ENGINE_CLOSED',
  /** The worker process running a query died before answering. */
  WORKER_CRASHED: 'WORKER_CRASHED',
  /** The database refused the statement; `sqliteCode` (SQLite) or `sqlState` (PostgreSQL), `sql` and `cause` say why. */
  QUERY_FAILED: 'QUERY_FAILED',
  /** A query or schema definition that cannot be compiled (unknown column, empty insert...). */
  INVALID_QUERY: 'INVALID_QUERY',
  /** A synchronous query would run inside another caller's open async transaction. */
  TRANSACTION_CONFLICT: 'TRANSACTION_CONFLICT',
  /** A query made from a transaction's async context after that transaction ended (a leaked timer or `.then`). */
  TRANSACTION_ENDED: 'TRANSACTION_ENDED',
  /** An engine option with a wrong type, an out-of-range value, or an unknown name. */
  INVALID_OPTION: 'INVALID_OPTION',
  /** better-sqlite3's native addon is missing or was built for another Node.js: approve or rebuild its build. */
  NATIVE_ADDON_UNAVAILABLE: 'NATIVE_ADDON_UNAVAILABLE',
  /** A synchronous call (`.runSync()`, `transactionSync()`) on an engine with no synchronous driver (PostgreSQL). */
  SYNC_UNSUPPORTED: 'SYNC_UNSUPPORTED',
  /** A schema change that rebuilds a table, asked for inside an open transaction (SQLite cannot switch foreign keys off there). */
  SCHEMA_CHANGE_IN_TRANSACTION: 'SCHEMA_CHANGE_IN_TRANSACTION',
  /** A migration failed and was rolled back; the message names it and the statement, `sql` holds the statement. */
  MIGRATION_FAILED: 'MIGRATION_FAILED',
  /** The database server could not be reached or refused the connection (wrong address, credentials, database name). */
  CONNECTION_FAILED: 'CONNECTION_FAILED',
} as const;

export type PiccoErrorCode = (typeof PiccoErrorCode)[keyof typeof PiccoErrorCode];

export interface PiccoErrorDetails {
  /** SQLite's own error code (`SQLITE_CONSTRAINT_UNIQUE`, ...) for `QUERY_FAILED`. */
  sqliteCode?: string;
  /** PostgreSQL's SQLSTATE (`23505` for a unique violation, ...) for `QUERY_FAILED` and `CONNECTION_FAILED`. */
  sqlState?: string;
  /** The SQL that failed, for `QUERY_FAILED`. */
  sql?: string;
  /** The underlying error, kept so that nothing is lost. */
  cause?: unknown;
}

export class PiccoError extends Error {
  override readonly name = 'PiccoError';
  readonly code: PiccoErrorCode;
  readonly sqliteCode: string | undefined;
  readonly sqlState: string | undefined;
  readonly sql: string | undefined;

  constructor(code: PiccoErrorCode, message: string, details: PiccoErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.sqliteCode = details.sqliteCode;
    this.sqlState = details.sqlState;
    this.sql = details.sql;
  }
}

export function isPiccoError(value: unknown, code?: PiccoErrorCode): value is PiccoError {
  return value instanceof PiccoError && (code === undefined || value.code === code);
}

/** Where each rule's documentation lives; runtime messages link to it. */
export const DOCS_BASE_URL = 'https://github.com/picco-orm/picco/blob/main/packages/eslint-plugin/docs/rules/';
