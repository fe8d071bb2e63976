/**
 * Where a parity behaviour answers differently on PostgreSQL, and why: the test asserts each
 * engine's answer (`context.dialect`). Listed here for the README's per-engine count
 * (scripts/parity-report.mjs). Differences only in the SQL text (`$1` for `?`, `ctid` for
 * `"rowid"`, no `LIMIT -1`, `NULLS FIRST`) or in the error's code field (`sqlState` for
 * `sqliteCode`) are not behaviours and are not listed.
 */
export const POSTGRES_DIFFERENCES: Readonly<Record<string, string>> = {
  'TestSelect::test_where_like_sqlite': "PostgreSQL's LIKE keeps case (SQLite's ignores ASCII case); ilike() matches regardless of case on both",
  'TestOnConflict::test_multiple_do_update': 'PostgreSQL takes one ON CONFLICT clause per INSERT: a second onConflict({ ... }) is refused with INVALID_QUERY',
  'TestOnConflict::test_multiple_do_nothing': 'PostgreSQL takes one ON CONFLICT clause per INSERT: a second onConflict({ ... }) is refused with INVALID_QUERY',
  'test_batch.py (a sync iterator, and rows written meanwhile neither repeat nor skip a page)':
    'no batchSync() on PostgreSQL (no synchronous driver): the async batch() reads the same pages, in primary key order',
};
