/**
 * What the PostgreSQL suites share: the server the global setup provided, a schema of its own
 * for each test (so that test files can run in parallel on one server), and an admin connection
 * for looking behind the engine's back (pg_stat_activity, pg_terminate_backend).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, inject } from 'vitest';
import pg from 'pg';
import { PostgresEngine, type PostgresEngineOptions } from '@picco/postgres';

export const postgresUrl = inject('postgresUrl');
const skipReason = inject('postgresSkipReason');

/** `describe`, skipped (and said so by the global setup and `run-tests.mjs`) when there is no server. */
export const describeOnPostgres: typeof describe = postgresUrl === undefined ? (describe.skip as typeof describe) : describe;
if (postgresUrl === undefined && skipReason !== undefined) console.warn(skipReason);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `sql` on a connection of its own, outside any engine. */
export async function admin<TRow extends Record<string, unknown> = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<TRow[]> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return (await client.query<TRow>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** A connection string whose sessions work in `schema` (their search_path) and are named after it (application_name). */
export function urlWithSchema(schema: string, base = postgresUrl!): string {
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', schema);
  return url.toString();
}

/** A fresh schema and an engine whose queries live in it; both go away after the test. */
export async function freshEngine(options: Omit<PostgresEngineOptions, 'connectionString'> = {}): Promise<{ engine: PostgresEngine; schema: string }> {
  const schema = `picco_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
  const engine = new PostgresEngine({ connectionString: urlWithSchema(schema), ...options });
  cleanups.push(async () => {
    await engine.close();
    await admin(`DROP SCHEMA ${schema} CASCADE`);
  });
  return { engine, schema };
}

/** Registers work to run after the current test. */
export function afterThisTest(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

export { settlesWithin, sleep } from '../../../test/suites/timing.js';
