/**
 * `SQLiteEngine`'s options, checked in the constructor so that a mistake fails where it was
 * made (`INVALID_OPTION`, naming the option), not at the first query with a misleading message.
 */
import { availableParallelism } from 'node:os';
import { PiccoError, PiccoErrorCode, type SqlitePathInfo } from '@picco/core';

export interface CheckedOptions {
  readonly workers: number;
  readonly busyTimeoutMs: number;
  readonly readonly: boolean;
}

/** Each worker is a process with its own connection and memory (~60 MB); readers beyond the cores buy nothing. */
export const MAX_WORKERS = 64;
/** better-sqlite3 passes the busy timeout to SQLite as a 32-bit signed integer. */
export const MAX_BUSY_TIMEOUT_MS = 2 ** 31 - 1;

const DEFAULT_WORKERS = Math.max(1, Math.min(2, availableParallelism()));
const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const KNOWN_OPTIONS = ['path', 'workers', 'busyTimeoutMs', 'readonly'] as const;
/** Names people write for the options above (other drivers' spellings and near misses). */
const LIKELY_MEANT: Readonly<Record<string, (typeof KNOWN_OPTIONS)[number]>> = {
  worker: 'workers',
  threads: 'workers',
  poolSize: 'workers',
  pool: 'workers',
  timeout: 'busyTimeoutMs',
  busyTimeout: 'busyTimeoutMs',
  busy_timeout: 'busyTimeoutMs',
  readOnly: 'readonly',
  filename: 'path',
  database: 'path',
  file: 'path',
};

export function checkOptions(options: object, pathInfo: Exclude<SqlitePathInfo, { kind: 'invalid' }>): CheckedOptions {
  for (const name of Object.keys(options)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(name)) {
      const meant = LIKELY_MEANT[name];
      throw invalidOption(
        name,
        `is not an option of SQLiteEngine${meant === undefined ? '' : `; did you mean "${meant}"?`} The options are ${KNOWN_OPTIONS.map((known) => `"${known}"`).join(', ')}.`,
      );
    }
  }
  const given = options as { workers?: unknown; busyTimeoutMs?: unknown; readonly?: unknown };
  const workers = given.workers ?? DEFAULT_WORKERS;
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS) {
    throw invalidOption('workers', `must be a whole number from 0 to ${MAX_WORKERS} (0 runs async queries on the main connection); got ${describe(workers)}.`);
  }
  const busyTimeoutMs = given.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (typeof busyTimeoutMs !== 'number' || !Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0 || busyTimeoutMs > MAX_BUSY_TIMEOUT_MS) {
    throw invalidOption('busyTimeoutMs', `must be a whole number of milliseconds from 0 to ${MAX_BUSY_TIMEOUT_MS}; got ${describe(busyTimeoutMs)}.`);
  }
  const readonly = given.readonly ?? false;
  if (typeof readonly !== 'boolean') {
    throw invalidOption('readonly', `must be true or false; got ${describe(readonly)}.`);
  }
  if (readonly && pathInfo.kind !== 'file') {
    throw invalidOption('readonly', `cannot be true for ${JSON.stringify(pathInfo.path)}: an in-memory or temporary database starts empty, so a read-only one could never hold anything. Use a file path, or drop "readonly".`);
  }
  return { workers, busyTimeoutMs, readonly };
}

function invalidOption(name: string, problem: string): PiccoError {
  return new PiccoError(PiccoErrorCode.INVALID_OPTION, `SQLiteEngine option "${name}" ${problem}`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
