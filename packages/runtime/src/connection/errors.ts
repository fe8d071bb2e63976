/** Turns what SQLite threw into a `QUERY_FAILED` PiccoError that keeps everything. */
import { PiccoError, PiccoErrorCode, type CompiledQuery } from '@picco/core';

/** The parts of an error that survive a trip between processes. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
  /** Set when the error was already a PiccoError on the other side (`code` is then its SQLite code). */
  readonly piccoCode: string | undefined;
  /** A PiccoError's SQL. */
  readonly sql?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : undefined,
      piccoCode: error instanceof PiccoError ? error.code : undefined,
    };
  }
  return { name: 'Error', message: String(error), code: undefined, piccoCode: undefined };
}

export function queryFailed(error: unknown, query: CompiledQuery): PiccoError {
  if (error instanceof PiccoError) return error;
  const { name, message, code } = serializeError(error);
  const cause = error instanceof Error ? error : Object.assign(new Error(message), { name, code });
  const where = query.table === undefined ? '' : ` on table "${query.table}"`;
  return new PiccoError(PiccoErrorCode.QUERY_FAILED, `Query failed${where}: ${message}${code === undefined ? '' : ` (${code})`}. SQL: ${query.sql}`, {
    sqliteCode: code,
    sql: query.sql,
    cause,
  });
}

/** Rebuilds an error that crossed from a worker process. */
export function deserializeError(serialized: SerializedError, query: CompiledQuery): PiccoError {
  if (serialized.piccoCode !== undefined) {
    return new PiccoError(serialized.piccoCode as PiccoErrorCode, serialized.message, { sqliteCode: serialized.code, sql: serialized.sql });
  }
  const cause = Object.assign(new Error(serialized.message), { name: serialized.name, code: serialized.code });
  return queryFailed(cause, query);
}

/** A query that was waiting or running when its engine was closed. */
export function engineClosed(): PiccoError {
  return new PiccoError(
    PiccoErrorCode.ENGINE_CLOSED,
    'The engine was closed with close() before this query could run; it was not applied. Create a new SQLiteEngine to keep going.',
  );
}
