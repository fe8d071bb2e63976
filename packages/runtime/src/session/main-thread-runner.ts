/**
 * A prepared query's synchronous runs (`Engine.statementRunner`): the checks any `runSync()`
 * passes (engine open, no async transaction in the way), then the statement on the main
 * connection with the run's values. Nothing else sits between: no query object per run, no
 * result object for a mutation (better-sqlite3's counts are the result). Each layer a run goes
 * through costs a few percent of a prepared insert or update (BENCHMARKS.md, change 16).
 */
import type { CompiledQuery, ExecutionResult, RunResult, SqlValue, StatementRunner } from '@picco/core';
import type { Session } from './session.js';
import { countsNow, executeNow } from './session.js';

export class MainThreadRunner implements StatementRunner {
  constructor(
    /** The engine's session; throws `ENGINE_CLOSED` once the engine is closed. */
    private readonly session: () => Session,
    private readonly query: CompiledQuery,
  ) {}

  executeSync(params: readonly SqlValue[]): ExecutionResult {
    return executeNow(this.session().syncConnection(this.query.readOnly), this.query, params);
  }

  countsSync(params: readonly SqlValue[]): RunResult {
    return countsNow(this.session().syncConnection(this.query.readOnly), this.query, params);
  }
}
