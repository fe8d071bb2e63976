/**
 * `PostgresEngine`'s options, checked in the constructor so that a mistake fails where it was
 * made (`INVALID_OPTION`, naming the option), not at the first query with a misleading message.
 */
import { PiccoError, PiccoErrorCode } from '@picco/core';

export interface CheckedOptions {
  /** `undefined`: node-postgres reads the PG* environment variables (PGHOST, PGDATABASE, ...). */
  readonly connectionString: string | undefined;
  readonly max: number;
  readonly connectionTimeoutMs: number;
  readonly preparedStatements: boolean;
}

/** PostgreSQL's own default `max_connections` is 100: a pool above that could never fill. */
export const MAX_CONNECTIONS = 1000;
const DEFAULT_MAX = 10;
const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
const KNOWN_OPTIONS = ['connectionString', 'max', 'connectionTimeoutMs', 'preparedStatements'] as const;
/** Names people write for the options above (other drivers' spellings and near misses). */
const LIKELY_MEANT: Readonly<Record<string, (typeof KNOWN_OPTIONS)[number]>> = {
  url: 'connectionString',
  uri: 'connectionString',
  connection: 'connectionString',
  connectionUri: 'connectionString',
  databaseUrl: 'connectionString',
  path: 'connectionString',
  poolSize: 'max',
  pool: 'max',
  size: 'max',
  connections: 'max',
  maxConnections: 'max',
  connectionTimeoutMillis: 'connectionTimeoutMs',
  timeout: 'connectionTimeoutMs',
  connectTimeout: 'connectionTimeoutMs',
  prepare: 'preparedStatements',
  prepared: 'preparedStatements',
  namedStatements: 'preparedStatements',
};

export function checkOptions(options: object): CheckedOptions {
  for (const name of Object.keys(options)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(name)) {
      const meant = LIKELY_MEANT[name];
      throw invalidOption(
        name,
        `is not an option of PostgresEngine${meant === undefined ? '' : `; did you mean "${meant}"?`} The options are ${KNOWN_OPTIONS.map((known) => `"${known}"`).join(', ')}.`,
      );
    }
  }
  const given = options as { connectionString?: unknown; max?: unknown; connectionTimeoutMs?: unknown; preparedStatements?: unknown };
  const { connectionString } = given;
  if (connectionString !== undefined && (typeof connectionString !== 'string' || connectionString.trim() === '')) {
    throw invalidOption(
      'connectionString',
      `must be a non-empty string such as "postgresql://user:password@host:5432/database" (or left out to use the PG* environment variables); got ${describe(connectionString)}.`,
    );
  }
  const max = given.max ?? DEFAULT_MAX;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_CONNECTIONS) {
    throw invalidOption('max', `must be a whole number of connections from 1 to ${MAX_CONNECTIONS}; got ${describe(max)}.`);
  }
  const connectionTimeoutMs = given.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  if (typeof connectionTimeoutMs !== 'number' || !Number.isInteger(connectionTimeoutMs) || connectionTimeoutMs < 1 || connectionTimeoutMs > 2 ** 31 - 1) {
    throw invalidOption('connectionTimeoutMs', `must be a whole number of milliseconds from 1 to ${2 ** 31 - 1}; got ${describe(connectionTimeoutMs)}.`);
  }
  const preparedStatements = given.preparedStatements ?? true;
  if (typeof preparedStatements !== 'boolean') throw invalidOption('preparedStatements', `must be true or false; got ${describe(preparedStatements)}.`);
  return { connectionString, max, connectionTimeoutMs, preparedStatements };
}

function invalidOption(name: string, problem: string): PiccoError {
  return new PiccoError(PiccoErrorCode.INVALID_OPTION, `PostgresEngine option "${name}" ${problem}`);
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
