/**
 * How a connection is opened. Kept apart from `connection.ts` so that the public declaration
 * files (the worker pool's types, `STATEMENT_CACHE_SIZE`) never import better-sqlite3's types:
 * users type-check without `@types/better-sqlite3`.
 */
export interface OpenOptions {
  /** A plain file name or ':memory:'; never a URI (URIs are off in better-sqlite3's SQLite). */
  readonly filename: string;
  readonly readonly: boolean;
  readonly mustExist: boolean;
  readonly busyTimeoutMs: number;
  /** File databases use WAL so that readers never block the writer. */
  readonly wal: boolean;
}

/** The statement cache's bound: enough for an application's query shapes, small enough to never grow without end. */
export const STATEMENT_CACHE_SIZE = 256;
