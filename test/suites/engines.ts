/**
 * What the shared suites (behaviour.ts, parity/) know of an engine: core's `Engine` interface and
 * raw SQL, nothing of SQLite or PostgreSQL themselves. Each package's runner passes its engines
 * (packages/runtime/test: SQLite; packages/postgres/test: PostgreSQL), so the engines stay
 * siblings. Where the engines differ, the suites ask the helpers below, or `engine.dialect`.
 */
import type { DialectName, Engine, RawQuery, SqlValue } from '@picco/core';

/** What the suites need of an engine: core's interface, and raw SQL (both engines have `raw`). */
export interface TestEngine extends Engine {
  raw<TRow = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): RawQuery<TRow, this>;
}

/** An engine a suite runs on, made fresh by `create`. */
export interface EngineUnderTest {
  readonly name: string;
  create(): Promise<{ engine: TestEngine; cleanup: () => Promise<void> }>;
}

export function dialectOf(engine: TestEngine): DialectName {
  return engine.dialect ?? 'sqlite';
}

/** SQLite's SQL text as the engine's: `?` numbered `$1, $2, ...` on PostgreSQL (outside quotes). */
export function placeholders(engine: TestEngine, sql: string): string {
  if (dialectOf(engine) !== 'postgres') return sql;
  let count = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (token) => (token === '?' ? `$${++count}` : token));
}

/**
 * What a write the schema refuses fails with: SQLite's CHECK constraint, or on PostgreSQL the
 * column type's own SQLSTATE (`postgresState`).
 */
export function schemaRefusal(engine: TestEngine, postgresState: string): { sqliteCode: string } | { sqlState: string } {
  return dialectOf(engine) === 'postgres' ? { sqlState: postgresState } : { sqliteCode: 'SQLITE_CONSTRAINT_CHECK' };
}

/** A constraint's failure: SQLite's extended code, or PostgreSQL's SQLSTATE (23505 unique, 23503 foreign key). */
export function constraintFailure(engine: TestEngine, sqlite: 'UNIQUE' | 'FOREIGNKEY'): { sqliteCode: string } | { sqlState: string } {
  if (dialectOf(engine) === 'postgres') return { sqlState: sqlite === 'UNIQUE' ? '23505' : '23503' };
  return { sqliteCode: `SQLITE_CONSTRAINT_${sqlite}` };
}

/** The names of a table's indexes, in name order (primary keys and SQLite's automatic indexes left out). */
export async function indexNames(engine: TestEngine, table: string): Promise<string[]> {
  const rows =
    dialectOf(engine) === 'postgres'
      ? await engine.raw<{ name: string }>(`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key' ORDER BY 1`, [table])
      : await engine.raw<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name NOT LIKE 'sqlite_%' ORDER BY 1`, [table]);
  return rows.map((row) => row.name);
}

/** The names of a table's columns, in order. */
export async function columnNames(engine: TestEngine, table: string): Promise<string[]> {
  const rows =
    dialectOf(engine) === 'postgres'
      ? await engine.raw<{ name: string }>(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, [table])
      : await engine.raw<{ name: string }>(`SELECT name FROM pragma_table_info(?) ORDER BY cid`, [table]);
  return rows.map((row) => row.name);
}
