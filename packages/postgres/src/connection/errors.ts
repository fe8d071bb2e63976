/**
 * Turns what node-postgres threw into a PiccoError that keeps everything: the SQLSTATE
 * (`sqlState`), the SQL and the original error (`cause`). Two kinds:
 * - `CONNECTION_FAILED`: the server could not be reached, refused the login, or the connection
 *   was lost mid-query (the query's outcome is then unknown);
 * - `QUERY_FAILED`: the server refused the statement (a constraint, a syntax error, ...).
 */
import { PiccoError, PiccoErrorCode, type CompiledQuery } from '@picco/core';

/** SQLSTATEs that mean the connection is gone, whatever the statement was. */
const CONNECTION_LOST_STATES = new Set(['08000', '08003', '08006', '57P01', '57P02', '57P03']);
/** node-postgres's own messages for a connection that died under a client (they carry no code). */
const CONNECTION_LOST_MESSAGE = /Connection terminated|not queryable|connection error|timeout expired/i;

interface DriverError {
  readonly message: string;
  readonly code: string | undefined;
  readonly detail: string | undefined;
}

function read(error: unknown): DriverError {
  if (error instanceof Error) {
    const { code, detail } = error as { code?: unknown; detail?: unknown };
    return {
      message: error.message,
      code: typeof code === 'string' ? code : undefined,
      detail: typeof detail === 'string' ? detail : undefined,
    };
  }
  return { message: String(error), code: undefined, detail: undefined };
}

/** A five-character SQLSTATE from the server, not a Node.js system error code (`ECONNREFUSED`). */
function sqlStateOf(code: string | undefined): string | undefined {
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True when the error means the connection that ran the statement is unusable now. */
export function isConnectionLoss(error: unknown): boolean {
  const { message, code } = read(error);
  if (code !== undefined && /^E[A-Z]+$/.test(code)) return true; // ECONNRESET, EPIPE, ...
  if (CONNECTION_LOST_STATES.has(code ?? '')) return true;
  return code === undefined && CONNECTION_LOST_MESSAGE.test(message);
}

/** An error from running `query` on a connection that was open. */
export function queryError(error: unknown, query: CompiledQuery): PiccoError {
  if (error instanceof PiccoError) return error;
  const { message, code, detail } = read(error);
  const sqlState = sqlStateOf(code);
  if (isConnectionLoss(error)) {
    return new PiccoError(
      PiccoErrorCode.CONNECTION_FAILED,
      `The connection to PostgreSQL was lost while this query ran (${message}); whether the server applied it is unknown. SQL: ${query.sql}`,
      { sqlState, sql: query.sql, cause: error },
    );
  }
  const where = query.table === undefined ? '' : ` on table "${query.table}"`;
  const state = sqlState === undefined ? '' : ` (SQLSTATE ${sqlState})`;
  const more = detail === undefined ? '' : ` ${detail}`;
  return new PiccoError(PiccoErrorCode.QUERY_FAILED, `Query failed${where}: ${message}${state}.${more} SQL: ${query.sql}`, {
    sqlState,
    sql: query.sql,
    cause: error,
  });
}

/** An error from opening a connection: whatever went wrong, no statement ran. */
export function connectionFailed(error: unknown, target: string): PiccoError {
  if (error instanceof PiccoError) return error;
  const { message, code } = read(error);
  const sqlState = sqlStateOf(code);
  const reason = code === undefined || message.includes(code) ? message : `${message} (${code})`;
  return new PiccoError(
    PiccoErrorCode.CONNECTION_FAILED,
    `Could not connect to PostgreSQL at ${target}: ${reason}. Check that the server is running and reachable, and that the ` +
      'connection string (host, port, user, password, database) is right. Nothing was run.',
    { sqlState, cause: error },
  );
}

/** A query that was made, or was waiting for a connection, after `close()`. */
export function engineClosed(): PiccoError {
  return new PiccoError(
    PiccoErrorCode.ENGINE_CLOSED,
    'The PostgresEngine was closed with close() before this query could run; it was not applied. Create a new PostgresEngine to keep going.',
  );
}

/** A query still running when close()'s grace period ended: its connection was cut. */
export function closedMidQuery(): PiccoError {
  return new PiccoError(
    PiccoErrorCode.ENGINE_CLOSED,
    'The PostgresEngine was closed with close() while this query ran, and it did not finish within the grace period ' +
      '(CLOSE_GRACE_MS), so its connection was cut: a write may or may not have been applied, and an open transaction was ' +
      'rolled back by the server. Await your queries before closing the engine.',
  );
}

/** `.runSync()` / `transactionSync()`: there is no synchronous PostgreSQL driver to run them on. */
export function syncUnsupported(what: string): PiccoError {
  return new PiccoError(
    PiccoErrorCode.SYNC_UNSUPPORTED,
    `${what} cannot run on a PostgresEngine: PostgreSQL is a server reached over a socket, and node-postgres (like every ` +
      'PostgreSQL driver for Node.js) has no synchronous mode, so the answer can only arrive after the current code yields. ' +
      'Await the query instead (`await query` or `await query.run()`), and use `await DB.transaction(async () => ...)` for transactions.',
  );
}

/** Where an engine connects, for messages: the connection string with its password hidden. */
export function describeTarget(connectionString: string | undefined): string {
  if (connectionString === undefined) return 'the server named by the PG* environment variables (PGHOST, PGPORT, PGDATABASE...)';
  const hidden = connectionString.replace(/^([a-z]+:\/\/[^:/@?#]*):[^@/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&]*/i, '$1***');
  return JSON.stringify(hidden);
}
